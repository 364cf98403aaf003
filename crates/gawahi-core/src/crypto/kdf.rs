//! The passphrase KDF: Argon2id with parameters calibrated on the machine that creates a vault.
//!
//! Parameters are stored in the key header and read back at unlock, so a vault created on a fast
//! machine still opens (more slowly) on a slow one. A floor keeps every vault above OWASP's
//! recommended minimum for Argon2id even when a caller asks for a tiny time target (tests do).

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The least memory any vault uses: 64 MiB, above OWASP's 19–46 MiB recommendations.
pub const MIN_MEMORY_KIB: u32 = 64 * 1024;
/// The least number of passes any vault uses.
pub const MIN_ITERATIONS: u32 = 2;
/// The most memory calibration will choose, so that an old 4 GiB laptop can still unlock.
pub const MAX_MEMORY_KIB: u32 = 256 * 1024;
/// The most passes calibration will choose (a very fast machine, or a long target).
pub const MAX_ITERATIONS: u32 = 64;
/// Upper bounds accepted when reading a header: exactly what calibration can make, so a damaged
/// or forged header cannot make unlock allocate gigabytes or run for minutes. At these bounds one
/// derivation costs 256 MiB and a few seconds on the slowest laptop we aim at.
const SANE_MAX_MEMORY_KIB: u32 = MAX_MEMORY_KIB;
const SANE_MAX_ITERATIONS: u32 = MAX_ITERATIONS;
const SANE_MAX_PARALLELISM: u32 = 1;
/// How many times calibration times one pass over the floor's memory before planning.
const PROBES: u32 = 3;
/// How many derivations at the planned size calibration times at most.
const MAX_ROUNDS: u32 = 3;
/// The time creating or unlocking a vault should take when nobody says otherwise.
pub const DEFAULT_TARGET: Duration = Duration::from_secs(1);

/// Argon2id parameters as stored in the key header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Number of passes over the memory.
    pub iterations: u32,
    /// Lanes. Always 1 for vaults this version creates; read back from the header.
    pub parallelism: u32,
}

impl KdfParams {
    /// The floor: what a vault uses when asked for a target below what the floor costs.
    pub const FLOOR: Self = Self { memory_kib: MIN_MEMORY_KIB, iterations: MIN_ITERATIONS, parallelism: 1 };

    /// Whether parameters read from a header are within what this version will run.
    pub(crate) fn is_sane(self) -> bool {
        (MIN_MEMORY_KIB..=SANE_MAX_MEMORY_KIB).contains(&self.memory_kib)
            && (1..=SANE_MAX_ITERATIONS).contains(&self.iterations)
            && (1..=SANE_MAX_PARALLELISM).contains(&self.parallelism)
    }

    /// Chooses parameters so that one derivation takes about `target` on this machine.
    ///
    /// Memory first, up to [`MAX_MEMORY_KIB`], then passes: memory hardness is worth more than
    /// time against GPU attackers. See [`KdfParams::calibrate_with`] for how the timings are
    /// taken.
    pub fn calibrate(target: Duration) -> Result<Self> {
        let salt = [0u8; 32];
        let mut out = Zeroizing::new([0u8; 32]);
        Self::calibrate_with(target, |params| {
            let started = Instant::now();
            run(b"calibration", &salt, params, out.as_mut())?;
            Ok(started.elapsed())
        })
    }

    /// Calibration with the timing of one derivation given by `measure` (the real Argon2id in
    /// [`KdfParams::calibrate`], a fake clock in tests).
    ///
    /// A timing can only be too slow, never too fast: another program taking the CPU, or the
    /// page faults of fresh memory, add time; nothing takes it away. So every timing is turned
    /// into the cost of one pass over the floor's memory, the least of them is believed, and
    /// one slow timing (the first, on a loaded machine) cannot pull the memory below what the
    /// machine can afford. The floor is timed [`PROBES`] times; the parameters planned from the
    /// best estimate are then timed themselves (passes over memory already faulted in cost less
    /// than the first) and planned again; they are timed again only if the memory changed, and
    /// at most [`MAX_ROUNDS`] derivations at full size are timed.
    pub fn calibrate_with(target: Duration, mut measure: impl FnMut(Self) -> Result<Duration>) -> Result<Self> {
        let probe = Self { memory_kib: MIN_MEMORY_KIB, iterations: 1, parallelism: 1 };
        let mut per_floor_pass = Duration::MAX;
        for _ in 0..PROBES {
            per_floor_pass = per_floor_pass.min(measure(probe)?);
            // Even a machine eight times faster than this timing could not afford more than the
            // floor: more timings cannot change the plan (tests ask for a millisecond, and every
            // vault a test makes would otherwise pay for them).
            if per_floor_pass.saturating_mul(2 * MIN_ITERATIONS) / 8 > target {
                break;
            }
        }
        let mut params = Self::plan(per_floor_pass, target);
        for _ in 0..MAX_ROUNDS {
            let floor_over_budget = per_floor_pass.saturating_mul(MIN_ITERATIONS) >= target;
            if params == Self::FLOOR && floor_over_budget {
                // The floor costs the whole budget even at the best timing: it stays, whatever
                // another timing says (tests ask for a millisecond and get here at once).
                break;
            }
            let timed = measure(params)?;
            per_floor_pass = per_floor_pass.min(params.per_floor_pass(timed));
            let planned = Self::plan(per_floor_pass, target);
            let same_memory = planned.memory_kib == params.memory_kib;
            params = planned;
            if same_memory {
                // Passes scale as the timing says (the old behaviour); only a change of memory,
                // whose page faults cost differently, is worth timing again.
                break;
            }
        }
        Ok(params)
    }

    /// What one pass over the floor's memory costs, if a derivation with these parameters took
    /// `elapsed` (the cost grows with memory and passes alike).
    fn per_floor_pass(self, elapsed: Duration) -> Duration {
        let floor_passes = u64::from(self.iterations) * u64::from(self.memory_kib / MIN_MEMORY_KIB).max(1);
        let nanos = elapsed.as_nanos() / u128::from(floor_passes);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    /// The parameters whose cost is about `target`, given that one pass over the floor's memory
    /// takes `per_pass`: the most memory (doubling, up to [`MAX_MEMORY_KIB`]) at which the
    /// least passes still fit the target, then as many passes of it as fit.
    fn plan(per_pass: Duration, target: Duration) -> Self {
        let per_pass = per_pass.max(Duration::from_micros(100)).as_secs_f64();
        let target = target.as_secs_f64();
        let mut memory_kib = MIN_MEMORY_KIB;
        while memory_kib < MAX_MEMORY_KIB {
            let doubled = memory_kib * 2;
            let cost = per_pass * f64::from(doubled / MIN_MEMORY_KIB) * f64::from(MIN_ITERATIONS);
            if cost > target {
                break;
            }
            memory_kib = doubled;
        }
        let per_pass_here = per_pass * f64::from(memory_kib / MIN_MEMORY_KIB);
        let passes = (target / per_pass_here).floor();
        // Clamped as a float first: a tiny per-pass cost gives a quotient no u32 holds.
        let passes = passes.clamp(f64::from(MIN_ITERATIONS), f64::from(MAX_ITERATIONS)) as u32;
        Self { memory_kib, iterations: passes, parallelism: 1 }
    }

    /// Derives the 256-bit key-encryption key from a passphrase.
    pub(crate) fn derive(self, passphrase: &SecretString, salt: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>> {
        let mut out = Zeroizing::new([0u8; 32]);
        run(passphrase.expose_secret().as_bytes(), salt, self, out.as_mut())?;
        Ok(out)
    }
}

fn run(secret: &[u8], salt: &[u8], p: KdfParams, out: &mut [u8]) -> Result<()> {
    let params = argon2::Params::new(p.memory_kib, p.iterations, p.parallelism, Some(out.len()))
        .map_err(|_| Error::CorruptHeader("impossible KDF parameters"))?;
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(secret, salt, out)
        .map_err(|e| match e {
            argon2::Error::OutOfMemory => Error::OutOfMemory,
            _ => Error::CorruptHeader("impossible KDF parameters"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_never_goes_below_the_floor() {
        let p = KdfParams::calibrate(Duration::from_millis(1)).expect("calibrate");
        assert!(p.memory_kib >= MIN_MEMORY_KIB);
        assert!(p.iterations >= MIN_ITERATIONS);
        assert!(p.is_sane());
    }

    #[test]
    fn a_bigger_budget_buys_memory_first_then_passes() {
        let ms = Duration::from_millis;
        let mib = |p: KdfParams| (p.memory_kib / 1024, p.iterations);
        assert_eq!(mib(KdfParams::plan(ms(100), ms(1))), (64, 2), "the floor");
        assert_eq!(mib(KdfParams::plan(ms(100), ms(500))), (128, 2), "memory before passes");
        assert_eq!(mib(KdfParams::plan(ms(300), ms(500))), (64, 2), "two passes of 128 MiB do not fit");
        assert_eq!(mib(KdfParams::plan(ms(50), ms(1000))), (256, 5));
        assert_eq!(mib(KdfParams::plan(ms(10), ms(2000))), (256, 50), "memory is capped first");
        assert_eq!(mib(KdfParams::plan(ms(1), ms(60_000))), (256, MAX_ITERATIONS), "then passes");
    }

    /// A machine on which one pass over 64 MiB costs `per_pass`, slowed by `load` for the
    /// timings listed (by their order, from 0). Returns the parameters it was asked to time.
    fn machine(per_pass: Duration, slow: &'static [(usize, u32)]) -> impl FnMut(KdfParams) -> Result<Duration> {
        let mut calls = 0;
        move |p: KdfParams| {
            let load = slow.iter().find(|(at, _)| *at == calls).map_or(1, |(_, load)| *load);
            calls += 1;
            Ok(per_pass * p.iterations * (p.memory_kib / MIN_MEMORY_KIB) * load)
        }
    }

    #[test]
    fn calibration_settles_on_the_memory_cap_then_passes() {
        let p = KdfParams::calibrate_with(Duration::from_secs(1), machine(Duration::from_millis(25), &[]))
            .expect("calibrate");
        // 256 MiB costs 100 ms a pass here: ten of them make the second.
        assert_eq!((p.memory_kib, p.iterations), (MAX_MEMORY_KIB, 10));
    }

    #[test]
    fn a_slow_first_timing_does_not_drop_the_memory_below_the_cap() {
        // The machine was busy for the first timing (ten times slower): alone it would plan
        // 64 MiB × 4. The other probes and the timing of the plan show the machine's real speed.
        let first_slow = &[(0, 10)];
        let p = KdfParams::calibrate_with(Duration::from_secs(1), machine(Duration::from_millis(25), first_slow))
            .expect("calibrate");
        assert_eq!((p.memory_kib, p.iterations), (MAX_MEMORY_KIB, 10));

        // Every probe slow (a burst of load): the timing of the planned parameters, at a
        // quarter of the machine's speed, still lifts the memory to the cap, then the passes.
        let probes_slow = &[(0, 4), (1, 4), (2, 4)];
        let mut asked = Vec::new();
        let mut timer = machine(Duration::from_millis(25), probes_slow);
        let p = KdfParams::calibrate_with(Duration::from_secs(1), |params| {
            asked.push(params);
            timer(params)
        })
        .expect("calibrate");
        assert_eq!((p.memory_kib, p.iterations), (MAX_MEMORY_KIB, 10), "asked to time {asked:?}");
        assert!(asked.len() <= (PROBES + MAX_ROUNDS) as usize, "bounded: {asked:?}");
    }

    #[test]
    fn a_slow_timing_of_the_plan_costs_passes_not_memory() {
        // The probes were fair; the timing of the planned 256 MiB × 10 was twice as slow. The
        // memory stays at the cap (the probes showed it fits); the passes follow the better
        // estimate, so a later unlock on the idle machine takes about the target.
        let p = KdfParams::calibrate_with(Duration::from_secs(1), machine(Duration::from_millis(25), &[(3, 2)]))
            .expect("calibrate");
        assert_eq!(p.memory_kib, MAX_MEMORY_KIB);
        assert_eq!(p.iterations, 10);
    }

    #[test]
    fn a_slow_machine_keeps_the_floor_and_times_it_no_more() {
        let mut calls = 0;
        let p = KdfParams::calibrate_with(Duration::from_millis(100), |params| {
            calls += 1;
            machine(Duration::from_millis(400), &[])(params)
        })
        .expect("calibrate");
        assert_eq!(p, KdfParams::FLOOR);
        assert_eq!(calls, 1, "one probe: nothing a faster timing could change");
        // Slow, but within reach of a faster timing: every probe is taken, and no more.
        let mut calls = 0;
        let p = KdfParams::calibrate_with(Duration::from_millis(100), |params| {
            calls += 1;
            machine(Duration::from_millis(150), &[])(params)
        })
        .expect("calibrate");
        assert_eq!(p, KdfParams::FLOOR);
        assert_eq!(calls, PROBES);
    }

    #[test]
    fn fail_a_timing_error_stops_calibration() {
        let failed = KdfParams::calibrate_with(Duration::from_secs(1), |_| Err(Error::OutOfMemory));
        assert!(matches!(failed, Err(Error::OutOfMemory)));
    }

    #[test]
    fn calibration_survives_absurd_timings() {
        for per_pass in [Duration::ZERO, Duration::from_nanos(1), Duration::MAX / 1000] {
            let p = KdfParams::calibrate_with(Duration::from_secs(1), |_| Ok(per_pass)).expect("calibrate");
            assert!(p.is_sane(), "{per_pass:?} gave {p:?}");
        }
        let p = KdfParams::calibrate_with(Duration::MAX, |_| Ok(Duration::from_millis(1))).expect("calibrate");
        assert!(p.is_sane());
    }

    #[test]
    fn insane_parameters_are_refused() {
        assert!(!KdfParams { memory_kib: 1024, iterations: 2, parallelism: 1 }.is_sane());
        assert!(!KdfParams { memory_kib: u32::MAX, iterations: 2, parallelism: 1 }.is_sane());
        assert!(!KdfParams { memory_kib: MIN_MEMORY_KIB, iterations: 0, parallelism: 1 }.is_sane());
    }

    #[test]
    fn fail_a_forged_header_cannot_demand_more_than_calibration_makes() {
        // The reproduction: 4 GiB × 1000 passes × 64 lanes was accepted from a header.
        assert!(!KdfParams { memory_kib: 4 * 1024 * 1024, iterations: 1000, parallelism: 64 }.is_sane());
        assert!(!KdfParams { memory_kib: MAX_MEMORY_KIB * 2, iterations: 2, parallelism: 1 }.is_sane());
        assert!(!KdfParams { memory_kib: MAX_MEMORY_KIB, iterations: MAX_ITERATIONS + 1, parallelism: 1 }.is_sane());
        assert!(!KdfParams { memory_kib: MAX_MEMORY_KIB, iterations: 2, parallelism: 2 }.is_sane());
        assert!(KdfParams { memory_kib: MAX_MEMORY_KIB, iterations: MAX_ITERATIONS, parallelism: 1 }.is_sane());
    }

    #[test]
    fn derivation_depends_on_passphrase_and_salt() {
        let derive =
            |pass: &str, salt: u8| KdfParams::FLOOR.derive(&SecretString::from(pass), &[salt; 32]).expect("derive");
        let first = derive("one passphrase", 1);
        assert_eq!(*first, *derive("one passphrase", 1));
        assert_ne!(*first, *derive("another passphrase", 1));
        assert_ne!(*first, *derive("one passphrase", 2));
    }
}
