// Node hands a repeated request header over as an array; Sightline reads the first value, as the API does.

/** A request header's value: its first value when the header was sent more than once. */
export const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;
