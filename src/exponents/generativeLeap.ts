// placeholder (replaced below)
import type { Link } from "../link/link.js";
import type { HermiteSpectrum } from "../hermite/spectrum.js";
import type { Stage } from "./leap.js";
export interface GenerativeLeap { value: number | null; firstStageExponent: number | null; staircase: Stage[]; note: string; warnings: string[] }
export function generativeLeap(_link: Link, _o: { maxDegree?: number; spectrum?: HermiteSpectrum } = {}): GenerativeLeap {
  return { value: null, firstStageExponent: null, staircase: [], note: "generative leap: not yet implemented", warnings: [] };
}
