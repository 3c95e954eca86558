/**
 * Information exponents of the label powers, p_j = IE(f^j) (theory notes §2.2(c) and §3.1): batch reuse feeds
 * y^j into the update with weight (eta d)^{j-1}, so the kinks of the seed-000 phase diagram sit where the p_j change.
 * GE <= min_j p_j, since T(y) = y^j is one admissible label transformation (Damian et al. 2024, arXiv 2403.05529).
 */
import { parseLink, type Link } from "../link/link.js";
import { isInputError } from "../link/errors.js";
import { NO_DEADLINE, TimeLimitExceeded, type Deadline } from "../numeric/deadline.js";
import { hermiteSpectrum, type HermiteSpectrum } from "../hermite/spectrum.js";
import { informationExponent } from "./information.js";

/** p_j = IE(f^j) for one power j, with its certificate note and the spectrum of f^j. */
export interface LabelPowerExponent {
  /** j. */
  readonly power: number;
  /** IE(f^j), null when > K, or when f^j is not square-integrable or out of double range (see note). */
  readonly value: number | null;
  /** The certificate of IE(f^j) in one sentence, or why f^j has no IE here. */
  readonly note: string;
  /** Hermite spectrum of f^j (null when f^j is refused as a link: not square-integrable or out of range). */
  readonly spectrum: HermiteSpectrum | null;
  /** True when p_j was not computed because the time limit had passed (value null then means "not computed"). */
  readonly unresolved?: boolean;
}

/** The link f^j as a link (same variables). */
export function labelPowerLink(link: Link, j: number): Link {
  return j === 1 ? link : parseLink(`(${link.text})^${j}`);
}

/**
 * Information exponents of the label powers p_j = IE(f^j), j = 1..J (theory notes §2.2(c), §3.1: the kinks of the
 * seed-000 learning-rate phase diagram sit where p_j changes; GE <= min_j p_j).
 * @param K degree up to which each IE(f^j) is searched.
 * @param J highest power (default 4).
 * @param deadline once it has passed, the remaining powers (j >= 2) are not computed (value null, `unresolved`); the
 *   spectra of the powers are computed under it (multi-index tensor quadrature gives way to Monte Carlo).
 * @param spectrumOfF the spectrum of f itself to degree K, when the caller has it (reused for j = 1).
 * @throws InputError from `informationExponent` when a power is constant.
 */
export function labelPowerExponents(link: Link, K: number, J = 4, deadline: Deadline = NO_DEADLINE, spectrumOfF?: HermiteSpectrum): LabelPowerExponent[] {
  const out: LabelPowerExponent[] = [];
  for (let j = 1; j <= J; j++) {
    if (j >= 2 && deadline.expired()) {
      for (let i = j; i <= J; i++) out.push({ power: i, value: null, note: `p_${i} = IE(f^${i}) was not computed: the time limit of ${deadline.seconds} s had passed`, spectrum: null, unresolved: true });
      break;
    }
    let power: Link;
    try { power = labelPowerLink(link, j); } catch (e) {
      // f is square-integrable (it was accepted) but f^j need not be, or may leave double range (z^64: f^4 = z^256)
      if (!isInputError(e) || j === 1) throw e;
      for (let i = j; i <= J; i++) out.push({ power: i, value: null, note: `p_${i} = IE(f^${i}) is not defined here: f^${j} is refused as a link (${e.message})`, spectrum: null });
      break;
    }
    let spectrum: HermiteSpectrum;
    try {
      // f^j for j >= 2 is optional: its quadrature stops at the deadline
      spectrum = j === 1 && spectrumOfF?.maxDegree === K ? spectrumOfF : hermiteSpectrum(power, K, { deadline, interruptible: j >= 2 });
    } catch (e) {
      // an accepted f whose power's coefficients leave double range at the quadrature points (max(z, exp(3 z)):
      // f^3 = exp(9 z), f^6 ~ 1e312 at z = 40) has no p_j here; f itself is not refused for it
      if (j >= 2 && isInputError(e)) {
        for (let i = j; i <= J; i++) out.push({ power: i, value: null, note: `p_${i} = IE(f^${i}) is not defined here: the coefficients of f^${j} cannot be computed (${e.message})`, spectrum: null });
        break;
      }
      if (!(e instanceof TimeLimitExceeded)) throw e;
      for (let i = j; i <= J; i++) out.push({ power: i, value: null, note: `p_${i} = IE(f^${i}) was not computed: the time limit of ${deadline.seconds} s had passed`, spectrum: null, unresolved: true });
      break;
    }
    const ie = informationExponent(power, spectrum);
    out.push({ power: j, value: ie.value, note: `p_${j} = IE(f^${j}): ${ie.note}`, spectrum });
  }
  return out;
}
