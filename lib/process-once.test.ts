import { describe, expect, it } from 'vitest';
import { processOnce, processValue } from './process-once';

describe('processOnce', () => {
  it('makes a value once per process and name, shared through globalThis with any other copy of the module', async () => {
    let made = 0;
    const make = async () => ({ n: ++made });
    const a = processOnce('test:shared', make);
    const b = processOnce('test:shared', make);
    expect(a).toBe(b);
    expect(await a).toEqual({ n: 1 });
    expect(made).toBe(1);
    const slots = (globalThis as { [key: symbol]: unknown })[Symbol.for('optline.processOnce')] as Map<string, Promise<unknown>>;
    expect(slots.get('test:shared')).toBe(a);
  });

  it('forgets a failed attempt, so the next use tries again', async () => {
    let attempts = 0;
    const make = async () => {
      attempts++;
      if (attempts === 1) throw new Error('the database is not up yet');
      return 'open';
    };
    await expect(processOnce('test:retry', make)).rejects.toThrow('the database is not up yet');
    expect(await processOnce('test:retry', make)).toBe('open');
    expect(attempts).toBe(2);
  });
});

describe('processValue', () => {
  it('makes a value once per process and name, shared through globalThis with any other copy of the module', () => {
    let made = 0;
    const make = () => ({ n: ++made });
    const a = processValue('test:value', make);
    expect(processValue('test:value', make)).toBe(a);
    expect(made).toBe(1);
    const values = (globalThis as { [key: symbol]: unknown })[Symbol.for('optline.processValue')] as Map<string, unknown>;
    expect(values.get('test:value')).toBe(a);
  });
});
