// The request parameters typed in the settings: max_tokens, temperature, top_p, top_k and stop sequences,
// validated as typed (a value the API would refuse is flagged at its field, never silently replaced), and
// sampling parameters sent only when the chosen model accepts them (the Models API says which).

const SAMPLING = ['temperature', 'top_p', 'top_k'];

/**
 * Which sampling parameters the model accepts (the page sends anthropic-version 2023-06-01, where only the
 * model matters). The Models API says so in Sightline's block: `sightline.sampling_deprecated` (Claude 4.7
 * and later refuse any non-default value); a model without that word accepts all three.
 */
function acceptedSampling(model) {
  if (model?.sightline?.sampling_deprecated === true) return new Set();
  return new Set(SAMPLING);
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
