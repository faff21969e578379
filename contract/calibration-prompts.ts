/**
 * The built-in calibration prompts, used when a profile (or a quantization calibration) is
 * recorded without prompts of the user's own: the app's profiling dialog starts from them and
 * `studio profile` uses them when no --prompts-file is given. Varied subjects, colours and
 * scenes in the style of the bundled emoji models' captions, so a profile sees more than one
 * kind of trajectory. Users should keep them apart from the prompts they judge quality on.
 */
export const DEFAULT_CALIBRATION_PROMPTS: readonly string[] = [
  'a smiling yellow face with heart eyes',
  'a red apple with a green leaf',
  'a blue car seen from the side',
  'a grey cat face with whiskers',
  'a rocket launching with orange flames',
  'a slice of pizza with pepperoni',
  'a green tree on a small hill',
  'a purple crystal ball on a stand',
];
