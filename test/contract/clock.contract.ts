import { describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/ports/clock.js';

/** Clock: what every implementation must do. */
export function clockContract(makeClock: () => Clock): void {
  describe('now', () => {
    it('reads a valid time whose ISO form is what events and items carry', () => {
      const now = makeClock().now();
      expect(now).toBeInstanceOf(Date);
      expect(Number.isNaN(now.getTime())).toBe(false);
      expect(now.toISOString()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('never goes backwards between readings', () => {
      const clock = makeClock();
      let previous = clock.now().getTime();
      for (let i = 0; i < 50; i++) {
        const next = clock.now().getTime();
        expect(next).toBeGreaterThanOrEqual(previous);
        previous = next;
      }
    });

    it('hands out a new Date each time: changing one changes no later reading', () => {
      const clock = makeClock();
      const first = clock.now();
      const at = first.getTime();
      first.setFullYear(1999);
      expect(clock.now().getTime()).toBeGreaterThanOrEqual(at);
    });
  });
}
