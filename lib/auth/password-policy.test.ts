import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy';

const olive = { email: 'olive@example.com', name: 'Olive Owner' };

describe('passwordProblem', () => {
  it('refuses the most common and breached passwords, however long', () => {
    for (const p of ['password1234', 'Password123!', 'qwertyuiopasdf', 'iloveyou12345']) {
      expect(passwordProblem(p, olive)).toBe(
        'this password is among the most common passwords (or made of them); choose a longer phrase of unrelated words',
      );
    }
  });

  it("refuses a password built on the person's name or email, or on the service's name", () => {
    expect(passwordProblem('Olive Owner 2026', olive)).toBe(
      'this password contains “olive” (from your name or email); choose words nobody links to you',
    );
    expect(passwordProblem('my-OLIVE@EXAMPLE.COM-pass', olive)).toMatch(
      /^this password contains “olive@example\.com” \(from your name or email\)/,
    );
    expect(passwordProblem('optline-admin-2026', olive)).toBe(
      'this password contains “optline” (the name of this service); choose words nobody links to you',
    );
  });

  it('refuses other easily guessed passwords, saying why', () => {
    expect(passwordProblem('aaaaaaaaaaaaaa', olive)).toMatch(
      /^this password is easy to guess \(.+\); choose a longer phrase of unrelated words$/,
    );
  });

  it('keeps the length rule and asks nothing of composition: a phrase of lower-case words is fine', () => {
    expect(passwordProblem('short', olive)).toBe('the password needs at least 12 characters');
    expect(passwordProblem('x'.repeat(129), olive)).toBe('the password is longer than 128 characters');
    expect(passwordProblem('violet canyon drift ember', olive)).toBeNull();
    expect(passwordProblem('correct horse battery', olive)).toBeNull();
  });
});
