// The request parameters typed in the settings: max_tokens, temperature, top_p, top_k and stop sequences,
// validated as typed (a value the API would refuse is flagged at its field, never silently replaced), and
// sampling parameters sent only when the chosen model accepts them (the Models API says which).

const SAMPLING = ['temperature', 'top_p', 'top_k'];

/**
 * Which sampling parameters the model accepts. The Models API's `capabilities.sampling` (Sightline) lists
 * them; a server without that field accepts all three.
 */
export function acceptedSampling(model) {
  const sampling = model?.capabilities?.sampling;
  if (!sampling) return new Set(SAMPLING);
  if (sampling.supported === false) return new Set();
  return new Set(
    SAMPLING.filter(
      (name) =>
        sampling[name] === undefined || (sampling[name]?.supported !== false && sampling[name] !== false),
    ),
  );
}

function number(raw, { integer, min, max, required, label }) {
  const text = raw.trim();
  if (text === '') return required ? { error: `Enter ${label}.` } : { value: undefined };
  const value = Number(text);
  const range = max === undefined ? `at least ${min}` : `from ${min} to ${max.toLocaleString('en-US')}`;
  if (
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    (max !== undefined && value > max)
  ) {
    return { error: `Enter ${integer ? 'a whole number' : 'a number'} ${range}.` };
  }
  return { value };
}

/**
 * fields: raw strings { maxTokens, temperature, topP, topK, stopSequences }. Returns { maxTokens,
 * parameters (the optional fields to send), errors: { field: message } }.
 */
export function readParameters(fields, model) {
  const errors = {};
  const accepted = acceptedSampling(model);
  const maxTokens = number(fields.maxTokens, {
    integer: true,
    min: 1,
    max: model?.max_tokens ?? undefined,
    required: true,
    label: 'the most tokens the answer may use',
  });
  if (maxTokens.error) errors.maxTokens = maxTokens.error;
  const parameters = {};
  const optional = [
    ['temperature', 'temperature', { integer: false, min: 0, max: 1 }],
    ['topP', 'top_p', { integer: false, min: 0, max: 1 }],
    ['topK', 'top_k', { integer: true, min: 1 }],
  ];
  for (const [field, name, limits] of optional) {
    if (!accepted.has(name)) continue;
    const read = number(fields[field], { ...limits, required: false, label: name });
    if (read.error) errors[field] = read.error;
    else if (read.value !== undefined) parameters[name] = read.value;
  }
  const stops = fields.stopSequences.split('\n').filter((line) => line.trim() !== '');
  if (stops.length > 0) parameters.stop_sequences = stops;
  return { maxTokens: maxTokens.value, parameters, errors, accepted };
}
