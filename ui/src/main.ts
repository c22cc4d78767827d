import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { commands } from './platform';

// CSP violations are counted so the E2E suite can assert the strict policy holds in practice.
const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  document.documentElement.dataset.cspViolations = String(violations.length);
});

const target = document.getElementById('app');
if (!target) throw new Error('Postdesk: #app is missing from index.html');

export default mount(App, { target, props: { commands } });
