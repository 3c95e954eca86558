/** The keyed random streams live in src/numeric/xoshiro.ts (tensors and verification use them too). */
export * from "../numeric/xoshiro.js";
