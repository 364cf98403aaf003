// The commands' types, from the generated command map (`ui/src/bindings/Commands.ts`, made from
// src-tauri/src/command_list.rs): a command's name, its request and its response. Types only, so
// that `tests/commands.test.ts` can compile calls against them without the app around them.
import type { Commands } from '../bindings/Commands';

/** Every command the window may call. */
export type CommandName = keyof Commands;

/** What `command` takes (sent as `{ request }`). */
export type RequestOf<C extends CommandName> = Commands[C]['request'];

/** What `command` resolves with; every command rejects with an `IpcError`. */
export type ResponseOf<C extends CommandName> = Commands[C]['response'];

/** A typed call: a misspelled command, a missing, misspelled or mistyped request field, or a
 * response used as what it is not fails `npm run check`. */
export type Call = <C extends CommandName>(command: C, request: RequestOf<C>) => Promise<ResponseOf<C>>;
