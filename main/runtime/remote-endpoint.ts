/**
 * A remote model's URL, as users give it: `http://host:8000/v2/models/emoji-transformer`,
 * optionally with `/versions/{v}` and a path prefix in front of `/v2` (a proxy or KServe
 * ingress such as `/serving/ns/name/v2/models/m`). Every other v2 path is derived from it.
 */
import { StudioError } from '../../contract/errors';

export interface ModelEndpoint {
  /** The model URL without a trailing slash (what messages and recipes name). */
  url: string;
  name: string;
  version?: string;
  /** Server health: `{prefix}/v2/health/ready`. */
  healthReady: URL;
  /** Model metadata: `{prefix}/v2/models/{name}[/versions/{v}]`. */
  metadata: URL;
  /** Model readiness: metadata + `/ready`. */
  modelReady: URL;
  /** Inference: metadata + `/infer`. */
  infer: URL;
  /** Triton's repository index (`POST {prefix}/v2/repository/index`), to name the models a server has. */
  repositoryIndex: URL;
}

const MODEL_PATH = /^(.*?)\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?\/?$/;
const EXAMPLE = 'http://127.0.0.1:8000/v2/models/emoji-transformer';

function invalid(raw: string, why: string): StudioError {
  return new StudioError('INVALID_REQUEST', `Remote model URL ${JSON.stringify(raw.slice(0, 200))} ${why}; expected e.g. ${EXAMPLE}.`, 'remote');
}

/** Parses a model URL. @throws StudioError INVALID_REQUEST naming what is wrong */
export function parseModelUrl(raw: string): ModelEndpoint {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid(raw, 'is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(raw, `uses ${url.protocol}; only http: and https: are supported`);
  // A token in the URL would end up in logs and recipes; it goes in the token option instead.
  if (url.username !== '' || url.password !== '') throw invalid('(redacted)', 'carries credentials; pass the token separately');
  if (url.search !== '' || url.hash !== '') throw invalid(raw, 'has a query or fragment');
  const m = MODEL_PATH.exec(url.pathname);
  if (!m) throw invalid(raw, 'does not end in /v2/models/{name}');
  const [, prefix = '', rawName = '', rawVersion] = m;
  let name: string;
  let version: string | undefined;
  try {
    name = decodeURIComponent(rawName);
    version = rawVersion === undefined ? undefined : decodeURIComponent(rawVersion);
  } catch {
    throw invalid(raw, 'has a malformed %-escape');
  }
  const at = (p: string): URL => new URL(`${url.origin}${prefix}${p}`);
  const modelPath = `/v2/models/${encodeURIComponent(name)}${version === undefined ? '' : `/versions/${encodeURIComponent(version)}`}`;
  return {
    url: `${url.origin}${prefix}${modelPath}`,
    name,
    ...(version === undefined ? {} : { version }),
    healthReady: at('/v2/health/ready'),
    metadata: at(modelPath),
    modelReady: at(`${modelPath}/ready`),
    infer: at(`${modelPath}/infer`),
    repositoryIndex: at('/v2/repository/index'),
  };
}
