// Label key and value syntax, with upstream's messages: k8s.io/apimachinery
// pkg/api/validate/content/kube.go (IsLabelKey, IsLabelValue), dns.go (IsDNS1123Subdomain) and
// errors.go (RegexError, MaxLenError, EmptyError). Each function returns the problems found, empty
// when the input is valid.

const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_MAX_BYTES = 63;
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MAX_BYTES = 253;

const LABEL_KEY_NAME = new RegExp(`^${LABEL_KEY_FMT}$`);
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

/** A label key: an optional DNS-subdomain prefix and "/", then a name of at most 63 bytes. */
export function labelKeyErrors(key: string): string[] {
  const slash = key.indexOf('/');
  if (slash >= 0 && key.indexOf('/', slash + 1) >= 0) {
    return [`a valid label key ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`
      + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  const errors: string[] = [];
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) prefixErrors(key.slice(0, slash), errors);
  const nameOk = LABEL_KEY_NAME.test(name);
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (tooLong(name, nameOk, LABEL_MAX_BYTES)) errors.push(`name part ${maxLenError(LABEL_MAX_BYTES)}`);
  if (!nameOk) errors.push(`name part ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errors;
}

function prefixErrors(prefix: string, errors: string[]): void {
  if (prefix.length === 0) {
    errors.push('prefix part must be non-empty');
    return;
  }
  const ok = DNS1123_SUBDOMAIN.test(prefix);
  if (tooLong(prefix, ok, DNS1123_SUBDOMAIN_MAX_BYTES)) errors.push(`prefix part ${maxLenError(DNS1123_SUBDOMAIN_MAX_BYTES)}`);
  if (!ok) errors.push(`prefix part ${regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com')}`);
}

/** A label value: empty, or at most 63 bytes of [-A-Za-z0-9_.] starting and ending alphanumeric. */
export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  const ok = LABEL_VALUE.test(value);
  if (tooLong(value, ok, LABEL_MAX_BYTES)) errors.push(maxLenError(LABEL_MAX_BYTES));
  if (!ok) errors.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errors;
}

function regexError(message: string, regex: string, ...examples: string[]): string {
  const shown = examples.map((example) => `'${example}', `).join(' or ');
  return `${message} (e.g. ${shown}regex used for validation is '${regex}')`;
}

function maxLenError(length: number): string {
  return `must be no more than ${length} bytes`;
}

/**
 * Whether `text` is more than `maxBytes` bytes of UTF-8. Text that matched one of the ASCII-only
 * patterns above (`ascii`) has one byte per character, so only other text is measured.
 */
function tooLong(text: string, ascii: boolean, maxBytes: number): boolean {
  return (ascii ? text.length : Buffer.byteLength(text, 'utf8')) > maxBytes;
}
