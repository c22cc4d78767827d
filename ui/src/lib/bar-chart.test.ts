import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import BarChart from './BarChart.svelte';

describe('the bar chart', () => {
  it('draws one bar per value, each titled with its label and value, on a round scale', () => {
    const { container } = render(BarChart, { props: { label: 'API calls', labels: ['01', '02', '03'], values: [3, 0, 14] } });
    expect(screen.getByRole('img')).toHaveAccessibleName('API calls: 17 in total');
    const bars = [...container.querySelectorAll('rect.bar')];
    expect(bars.map((b) => b.querySelector('title')?.textContent)).toEqual(['01: 3', '02: 0', '03: 14']);
    const heights = bars.map((b) => Number(b.getAttribute('height')));
    expect(heights[1]).toBe(0);
    expect(heights[2]).toBeGreaterThan(heights[0]!);
    // The scale tops at 20 (a round value above 14) and marks its middle.
    expect([...container.querySelectorAll('text.tick')].map((t) => t.textContent).slice(0, 3)).toEqual(['20', '10', '0']);
  });

  it('writes every few labels when they would crowd, and draws nothing tall for no calls', () => {
    const labels = Array.from({ length: 31 }, (_, i) => String(i + 1).padStart(2, '0'));
    const { container } = render(BarChart, { props: { label: 'API calls', labels, values: labels.map(() => 0) } });
    const written = [...container.querySelectorAll('text.tick')].map((t) => t.textContent).slice(3);
    expect(written.length).toBeLessThan(31);
    expect(written[0]).toBe('01');
    expect([...container.querySelectorAll('rect.bar')].every((b) => b.getAttribute('height') === '0')).toBe(true);
  });
});
