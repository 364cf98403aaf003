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
    /// It times one pass over the floor's memory, then spends the budget on passes, doubling the
    /// memory (and halving the passes) while there are more than eight passes, up to
    /// [`MAX_MEMORY_KIB`]: memory hardness is worth more than time against GPU attackers.
    pub fn calibrate(target: Duration) -> Result<Self> {
        let probe = Self { memory_kib: MIN_MEMORY_KIB, iterations: 1, parallelism: 1 };
        let salt = [0u8; 32];
        let mut out = Zeroizing::new([0u8; 32]);
        let started = Instant::now();
        run(b"calibration", &salt, probe, out.as_mut())?;
        let mut params = Self::plan(started.elapsed(), target);

        // One pass over fresh memory overstates the cost of the later passes (page faults come
        // once), so time the chosen parameters and scale the passes to meet the target.
        if params.iterations > MIN_ITERATIONS {
            let started = Instant::now();
            run(b"calibration", &salt, params, out.as_mut())?;
            let actual = started.elapsed().max(Duration::from_millis(1));
            let scaled = f64::from(params.iterations) * target.as_secs_f64() / actual.as_secs_f64();
            params.iterations = (scaled.round() as u32).clamp(MIN_ITERATIONS, SANE_MAX_ITERATIONS);
        }
        Ok(params)
    }

    /// The parameters whose cost is about `target`, given that one pass over the floor's memory
    /// takes `per_pass`.
    fn plan(per_pass: Duration, target: Duration) -> Self {
        let per_pass = per_pass.max(Duration::from_millis(1));
        let passes = (target.as_secs_f64() / per_pass.as_secs_f64()).floor() as u32;
        let mut params = Self { memory_kib: MIN_MEMORY_KIB, iterations: passes.max(MIN_ITERATIONS), parallelism: 1 };
        while params.iterations > 8 && params.memory_kib < MAX_MEMORY_KIB {
            params.memory_kib *= 2;
            params.iterations /= 2;
        }
        params.iterations = params.iterations.clamp(MIN_ITERATIONS, SANE_MAX_ITERATIONS);
        params
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
        assert_eq!(mib(KdfParams::plan(ms(100), ms(500))), (64, 5));
        assert_eq!(mib(KdfParams::plan(ms(50), ms(1000))), (256, 5));
        assert_eq!(mib(KdfParams::plan(ms(10), ms(2000))), (256, 50), "memory is capped first");
        assert_eq!(mib(KdfParams::plan(ms(1), ms(60_000))), (256, MAX_ITERATIONS), "then passes");
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
