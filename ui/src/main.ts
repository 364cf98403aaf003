// By the page's clock, when the UI's code starts to run (`make bench` reads it).
performance.mark('gawahi:script');
import { mount } from 'svelte';
import './styles/fonts.css';
import './styles/app.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('no #app element');

export default mount(App, { target });
