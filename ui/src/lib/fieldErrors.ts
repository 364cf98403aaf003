// Where an error about a field goes on the form: the core names the field by its path
// (`title`, `charges[0].section`, `incident_types[2]`, `disappearance.last_seen_on`).

export type Placement = {
  /** The key errors are kept under, and the suffix of their `data-testid="error-<key>"`. */
  key: string;
  /** The id of the control to mark invalid and focus. */
  controlId: string;
};

/** The id of a field's control: `field-<path>`; charge rows are `charge-<i>`. */
export function controlIdOf(field: string): string {
  return `field-${field}`;
}

/**
 * Places an error about `path` on a form whose fields are `known` (top-level names and dotted
 * paths of nested blocks). `null` means the path names nothing on the form: show it as a
 * form-level message.
 */
export function placeError(path: string | null | undefined, known: ReadonlySet<string>): Placement | null {
  if (!path) return null;
  const charge = /^charges\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (charge) {
    if (!known.has('charges')) return null;
    return { key: path, controlId: `charge-${charge[1]}` };
  }
  if (path === 'charges' && known.has('charges')) return { key: 'charges', controlId: 'field-charges' };
  // An item of a list of codes (`incident_types[2]`): the list's control.
  const item = /^([\w.]+)\[\d+\]$/.exec(path);
  if (item) return known.has(item[1]) ? { key: item[1], controlId: controlIdOf(item[1]) } : null;
  if (known.has(path)) return { key: path, controlId: controlIdOf(path) };
  // A nested block named whole (`disappearance`) or a field of it the form lacks: the block.
  const block = path.split('.')[0];
  if (block !== path && known.has(block)) return { key: block, controlId: controlIdOf(block) };
  return null;
}
