//! Hardening of the process that holds a vault open.
//!
//! A running Gawahi holds decrypted records, keys and perhaps a passphrase in memory and in its
//! environment (`GAWAHI_PASSPHRASE`). Left as they are, any process of the same user can read
//! them (`/proc/PID/environ`, `/proc/PID/mem`, ptrace), and a crash writes them into a core
//! file. [`harden`] closes both doors; the CLI and the app call it as the first line of `main`.

use std::io;

/// Makes this process non-dumpable (Linux: `PR_SET_DUMPABLE` 0) and sets its core file size
/// limit to 0, soft and hard (`RLIMIT_CORE`).
///
/// Once non-dumpable, the process's `/proc/PID` files belong to root and other processes of the
/// same user can neither read its environment or memory nor ptrace it; with both limits at 0 a
/// crash writes no core file, and the process cannot raise the limit again. Children inherit the
/// core limit; the dumpable flag is reset by `execve`.
///
/// Both steps are tried even if one fails; the first error is returned. A caller may go on
/// without the hardening, but should say so (without details: there is nothing secret in them,
/// but nothing useful either).
pub fn harden() -> io::Result<()> {
    let core = no_core_files();
    let dumpable = not_dumpable();
    core.and(dumpable)
}

#[cfg(unix)]
fn no_core_files() -> io::Result<()> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) }).map_err(io::Error::from)
}

#[cfg(not(unix))]
fn no_core_files() -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn not_dumpable() -> io::Result<()> {
    use rustix::process::{DumpableBehavior, set_dumpable_behavior};
    set_dumpable_behavior(DumpableBehavior::NotDumpable).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn not_dumpable() -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
mod tests {
    use rustix::process::{DumpableBehavior, Resource, Rlimit, dumpable_behavior, getrlimit};

    #[test]
    fn harden_makes_the_process_non_dumpable_with_no_core_files() {
        super::harden().expect("harden");
        assert_eq!(dumpable_behavior().expect("PR_GET_DUMPABLE"), DumpableBehavior::NotDumpable);
        assert_eq!(getrlimit(Resource::Core), Rlimit { current: Some(0), maximum: Some(0) });
        // Idempotent: a second call (the limit is already 0 and cannot be raised) still succeeds.
        super::harden().expect("harden again");
    }
}
