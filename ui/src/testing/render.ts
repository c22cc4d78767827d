// Rendering a component as the app does: under the services, built here over the recorded fake.
import { render, type SvelteComponentOptions } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
// The component type testing-library renders (its own package's, re-exported nowhere else).
import type { Component, ComponentImport, Props } from '@testing-library/svelte-core/types';
import { systemClock } from '../lib/clock';
import { createServices, servicesContext, type Services } from '../services/services';
import { fakeApi, type Fake, type FakeOptions } from './fake';

export interface FakeServices extends Fake {
  services: Services;
  context: Map<symbol, unknown>;
}

/** The app's services over the recorded fake. */
export function fakeServices(options: FakeOptions = {}): FakeServices {
  const fake = fakeApi(options);
  const services = createServices({ invoke: fake.invoke, listen: fake.listen, clock: systemClock });
  return { ...fake, services, context: servicesContext(services) };
}

/** Renders `component` under services over the recorded fake (`scenario`, `overrides`). */
export function renderWith<C extends Component>(component: ComponentImport<C>, options: FakeOptions & { props?: Props<C> } = {}) {
  const { props, ...fakeOptions } = options;
  const fake = fakeServices(fakeOptions);
  const user = userEvent.setup();
  const rendered = render(component, { props, context: fake.context } as SvelteComponentOptions<C>);
  return { ...fake, user, rendered };
}
