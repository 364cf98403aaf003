//! Typed links between records.

use rusqlite::Connection;

use super::Vault;
use crate::audit::{self, Action};
use crate::date::now_utc;
use crate::error::{Error, Invalid, Reason, Result};
use crate::links::{self, Link};
use crate::model::Check;
use crate::model::normalise_id;
use crate::records::{self};

impl Vault {
    /// Links `from_id` to `to_id` with `role` (from the `link_roles` vocabulary).
    pub fn link(&mut self, from_id: &str, to_id: &str, role: &str) -> Result<Link> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let link = link_in(&tx, None, from_id, to_id, role, None)?;
        tx.commit()?;
        Ok(link)
    }

    /// Removes the link with `link_id`.
    pub fn unlink(&mut self, link_id: &str) -> Result<()> {
        self.writable()?;
        let link_id = &normalise_id(link_id);
        let tx = self.conn.transaction()?;
        links::get(&tx, link_id)?.ok_or_else(|| Error::RecordNotFound(link_id.clone()))?;
        links::delete(&tx, link_id)?;
        audit::append(&tx, Action::LinkDelete, Some("link"), Some(link_id), None)?;
        tx.commit()?;
        Ok(())
    }

    /// Every link touching the record `id`, in either direction.
    pub fn links_of(&self, id: &str) -> Result<Vec<Link>> {
        let record = self.get(id)?;
        links::of(&self.conn, &record.id)
    }
}

pub(super) fn link_in(
    conn: &Connection,
    id: Option<&str>,
    from_id: &str,
    to_id: &str,
    role: &str,
    created_at: Option<&str>,
) -> Result<Link> {
    let (from_id, to_id) = (&normalise_id(from_id), &normalise_id(to_id));
    if records::get(conn, from_id)?.is_none() {
        return Err(Invalid::field("from_id", Reason::NoSuchRecord, "no record has this id").into());
    }
    if records::get(conn, to_id)?.is_none() {
        return Err(Invalid::field("to_id", Reason::NoSuchRecord, "no record has this id").into());
    }
    if from_id == to_id {
        return Err(Invalid::field("to_id", Reason::LinkToItself, "a record cannot be linked to itself").into());
    }
    Check::new(conn).vocab("role", "link_roles", Some(role))?;
    if links::find(conn, from_id, to_id, role)?.is_some() {
        return Err(Invalid::whole(Reason::AlreadyLinked, "these records are already linked in this role").into());
    }
    let id = match id {
        Some(id) => {
            let id = uuid::Uuid::parse_str(id)
                .map_err(|_| Invalid::field("id", Reason::WrongType, "expected a UUID"))?
                .hyphenated()
                .to_string();
            if links::get(conn, &id)?.is_some() || records::get(conn, &id)?.is_some() {
                return Err(Invalid::field("id", Reason::IdTaken, "another link or record already has this id").into());
            }
            id
        }
        None => uuid::Uuid::now_v7().hyphenated().to_string(),
    };
    let link = Link {
        id,
        from_id: from_id.to_owned(),
        to_id: to_id.to_owned(),
        role: role.to_owned(),
        created_at: created_at.map_or_else(now_utc, str::to_owned),
    };
    links::insert(conn, &link)?;
    audit::append(conn, Action::LinkCreate, Some("link"), Some(&link.id), Some(&link.content_hash()))?;
    Ok(link)
}
