/** mathjs's parser and erf for the link language (built in numeric/mathjs.ts, below the link layer, which erf needs). */
export { mathjs, type MathjsSubset } from "../numeric/mathjs.js";
