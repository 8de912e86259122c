/**
 * Masks an email for logs and events: the first character of the local part and of the
 * domain stay, the top-level domain stays, everything else becomes a fixed run of stars
 * (so the mask reveals neither the length nor the sub-domains).
 *
 *   jane.doe@hotel.com      -> j***@h***.com
 *   ops@mail.grand-hotel.cz -> o***@m***.cz
 *   not-an-email            -> ***
 */
export function maskEmail(email: string): string {
  const value = email.trim();
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return '***';
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 && dot < domain.length - 1 ? domain.slice(dot + 1) : '';
  const maskedDomain = `${domain.charAt(0)}***${tld ? `.${tld}` : ''}`;
  return `${local.charAt(0)}***@${maskedDomain}`;
}

/** Anything in free text that looks like an email address. */
const EMAIL_LIKE = /[^\s@'"<>()[\],;:]+@[^\s@'"<>()[\],;:]+/g;

/** Masks every email-looking substring of a free text (e.g. an error message from a remote API). */
export function maskEmailsIn(text: string): string {
  return text.replace(EMAIL_LIKE, (match) => maskEmail(match));
}
