import { it } from "vitest";
import { analyzeLink } from "../../src/analyze.js";
import { parseLink } from "../../src/link/link.js";
const nest = (fn: string, n: number) => `${fn}(`.repeat(n) + "z" + ")".repeat(n);
it("x", () => {
  for (const s of [nest("erf", 40), nest("sigmoid", 40), nest("abs", 60), nest("tanh", 60), "max(He(8, z3), He(5, z3))", "min(He(8, -z1), 1)", "He(5, max(z + z, He(7, (z)^4)))", "sin((He(8, z2)))", "((-He(5, z3))^4)^4"]) {
    const t0 = performance.now();
    let l; try { l = parseLink(s); } catch (e) { console.log(s.slice(0, 30), "refused", ((performance.now() - t0) / 1000).toFixed(2)); continue; }
    const t1 = performance.now();
    analyzeLink(l, { maxDegree: 4, timeLimit: 0.02 });
    console.log(s.slice(0, 30), "parse", ((t1 - t0) / 1000).toFixed(2), "analyze", ((performance.now() - t1) / 1000).toFixed(2));
  }
});
