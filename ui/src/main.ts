import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { systemClock } from './lib/clock';
import { tauriInvoke, tauriListen } from './platform/tauri';
import { createServices, servicesContext } from './services/services';

// CSP violations are counted so the E2E suite can assert the strict policy holds in practice.
const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  document.documentElement.dataset.cspViolations = String(violations.length);
});

const target = document.getElementById('app');
if (!target) throw new Error('Postdesk: #app is missing from index.html');

// The services are made once, over Tauri, and provided to every component through context.
const services = createServices({ invoke: tauriInvoke, listen: tauriListen, clock: systemClock });

export default mount(App, { target, context: servicesContext(services) });
