// Object name rules with upstream's messages (apimachinery pkg/util/validation/validation.go
// IsDNS1123Subdomain, IsDNS1123Label, IsDNS1035Label; pkg/api/validation/generic.go NameIs*).
import type { NameRule } from './registry.js';

const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_FMT = `${LABEL_FMT}(\\.${LABEL_FMT})*`;
const DNS1035_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const LABEL_RE = new RegExp(`^${LABEL_FMT}$`);
const SUBDOMAIN_RE = new RegExp(`^${SUBDOMAIN_FMT}$`);
const DNS1035_RE = new RegExp(`^${DNS1035_FMT}$`);

/** validation.RegexError: the message, examples and the regex. */
function regexError(message: string, format: string, examples: string[]): string {
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${format}')`;
}

const maxLenError = (length: number): string => `must be no more than ${length} characters`;

export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push(maxLenError(253));
  if (!SUBDOMAIN_RE.test(value)) {
    errors.push(regexError(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      SUBDOMAIN_FMT, ['example.com'],
    ));
  }
  return errors;
}

export function dns1123LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLenError(63));
  if (!LABEL_RE.test(value)) {
    if (SUBDOMAIN_RE.test(value)) {
      errors.push('must not contain dots');
    } else {
      errors.push(regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        LABEL_FMT, ['my-name', '123-abc'],
      ));
    }
  }
  return errors;
}

export function dns1035LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLenError(63));
  if (!DNS1035_RE.test(value)) {
    errors.push(regexError(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
      DNS1035_FMT, ['my-name', 'abc-123'],
    ));
  }
  return errors;
}

/** generic.go maskTrailingDash: a generateName prefix may end in '-' (upstream swaps the last two characters for 'a'). */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** The messages `rule` gives for `name`; `prefix` for a generateName prefix. Empty when valid. */
export function nameErrors(rule: NameRule, name: string, options: { prefix?: boolean } = {}): string[] {
  const value = options.prefix ? maskTrailingDash(name) : name;
  switch (rule) {
    case 'dns1123Label':
      return dns1123LabelErrors(value);
    case 'dns1035Label':
      return dns1035LabelErrors(value);
    case 'dns1123Subdomain':
      return dns1123SubdomainErrors(value);
  }
}
