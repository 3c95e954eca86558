// placeholder (replaced below)
import type { Link } from "../link/link.js";
import type { HermiteSpectrum } from "../hermite/spectrum.js";
import type { ParityCertificate } from "../link/parity.js";
export interface GenerativeExponent { value: number | null; note: string; warnings: string[] }
export function generativeExponent(_link: Link, _o: { maxDegree?: number; spectrum?: HermiteSpectrum; parity?: ParityCertificate } = {}): GenerativeExponent {
  return { value: null, note: "generative exponent: not yet implemented", warnings: [] };
}
