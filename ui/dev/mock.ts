// Entry of dev/mock.html: the UI over an in-memory stand-in for the Rust core (see
// mock-backend.ts). Freezes Object.prototype first, as the app's `freezePrototype` does.
import { installMockBackend } from './mock-backend';

Object.freeze(Object.prototype);
installMockBackend();
await import('../src/main');
