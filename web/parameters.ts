// The request parameters typed in the settings: max_tokens, temperature, top_p, top_k and stop sequences,
// validated as typed (a value the API would refuse is flagged at its field, never silently replaced), and
// sampling parameters sent only when the chosen model accepts them (the Models API says which).
import type { OptionalParameters } from './request.js';
import type { ModelInfo } from './types.js';

export const SAMPLING = ['temperature', 'top_p', 'top_k'] as const;
export type SamplingName = (typeof SAMPLING)[number];

/** The parameter fields as typed. */
export interface ParameterFields {
  maxTokens: string;
  temperature: string;
  topP: string;
  topK: string;
  stopSequences: string;
}

/** The fields checked as typed: each may carry an error message. */
export type CheckedField = 'maxTokens' | 'temperature' | 'topP' | 'topK';

export interface ReadParameters {
  /** undefined when the field is not a valid max_tokens (errors.maxTokens says why). */
  maxTokens: number | undefined;
  /** The optional fields to send. */
  parameters: OptionalParameters;
  errors: Partial<Record<CheckedField, string>>;
  /** The sampling parameters the model accepts. */
  accepted: ReadonlySet<SamplingName>;
}

/**
 * Which sampling parameters the model accepts (the page sends anthropic-version 2023-06-01, where only the
 * model matters). The Models API says so in Sightline's block: `sightline.sampling_deprecated` (Claude 4.7
 * and later refuse any non-default value); a model without that word accepts all three.
 */
function acceptedSampling(model: ModelInfo | undefined): ReadonlySet<SamplingName> {
  if (model?.sightline?.sampling_deprecated === true) return new Set();
  return new Set(SAMPLING);
}

interface NumberRule {
  integer: boolean;
  min: number;
  max?: number | undefined;
  required: boolean;
  label: string;
}

function number(
  raw: string,
  { integer, min, max, required, label }: NumberRule,
): { value: number | undefined; error?: undefined } | { error: string } {
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

const OPTIONAL: readonly [CheckedField, SamplingName, Omit<NumberRule, 'required' | 'label'>][] = [
  ['temperature', 'temperature', { integer: false, min: 0, max: 1 }],
  ['topP', 'top_p', { integer: false, min: 0, max: 1 }],
  ['topK', 'top_k', { integer: true, min: 1 }],
];

export function readParameters(fields: ParameterFields, model: ModelInfo | undefined): ReadParameters {
  const errors: ReadParameters['errors'] = {};
  const accepted = acceptedSampling(model);
  const maxTokens = number(fields.maxTokens, {
    integer: true,
    min: 1,
    max: model?.max_tokens,
    required: true,
    label: 'the most tokens the answer may use',
  });
  if (maxTokens.error) errors.maxTokens = maxTokens.error;
  const parameters: OptionalParameters = {};
  for (const [field, name, limits] of OPTIONAL) {
    if (!accepted.has(name)) continue;
    const read = number(fields[field], { ...limits, required: false, label: name });
    if (read.error !== undefined) errors[field] = read.error;
    else if (read.value !== undefined) parameters[name] = read.value;
  }
  const stops = fields.stopSequences.split('\n').filter((line) => line.trim() !== '');
  if (stops.length > 0) parameters.stop_sequences = stops;
  return {
    maxTokens: maxTokens.error === undefined ? maxTokens.value : undefined,
    parameters,
    errors,
    accepted,
  };
}
