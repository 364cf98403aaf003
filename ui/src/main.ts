// By the page's clock, when the UI's code starts to run (`make bench` reads it).
performance.mark('gawahi:script');
import { flushSync, mount } from 'svelte';
import './styles/fonts.css';
import './styles/app.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('no #app element');

// index.html may show a copy of the first screen, drawn at build time (build/firstScreens.ts),
// until this script has run: the live screen takes its place in the same task, so no frame is
// blank between them.
target.replaceChildren();
const app = mount(App, { target });
// The first screen's effects (its focus, the first-screen mark) run now, in the script's own
// task: WebKit runs the page's first microtasks only after its load event.
flushSync();

export default app;
