//! The encrypted database. [`db`] opens it (the one place that keys SQLCipher) and applies the
//! migrations, which are kept next to the table they change and run in one global order. Each
//! other module owns one table: [`records`], [`links`], the hash-chained [`audit`] log and the
//! [`vocab`]ularies, the [`evidence`] locker's items and their [`custody`] logs, the vault's [`identity`] seed and its contacts, and the [`search`] index. The vault ([`crate::vault`]) composes them; nothing outside this folder
//! writes SQL against these tables.

pub mod audit;
pub mod custody;
pub mod db;
pub mod drafts;
pub mod evidence;
pub mod identity;
pub mod links;
pub mod records;
pub mod search;
pub mod vocab;
