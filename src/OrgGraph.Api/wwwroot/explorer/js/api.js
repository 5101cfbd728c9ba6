// The public GraphQL API of this server (POST /graphql, same origin), and nothing else.
//
// Requests wait in a small queue, at most two in flight, so the page stays well inside the per-client rate limit
// (20 requests a second, bursts of 100). A 429 answer is retried after its Retry-After, twice at most.

const ENDPOINT = '/graphql';
const MAX_IN_FLIGHT = 2;
const MAX_RETRIES = 2;

/** An error answered by the API: its message, and its code from `extensions.code` (NOT_FOUND, LIMIT_EXCEEDED, ...). */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'ApiError';
    this.code = code ?? null;
  }
}

let inFlight = 0;
const queue = [];

function acquire() {
  if (inFlight < MAX_IN_FLIGHT) {
    inFlight++;
    return Promise.resolve();
  }
  return new Promise((resolve) => queue.push(resolve));
}

function release() {
  const next = queue.shift();
  if (next) {
    next(); // the slot passes straight to the next request
  } else {
    inFlight--;
  }
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

function retryDelay(response) {
  const seconds = Number.parseFloat(response.headers.get('Retry-After') ?? '');
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) * 1000 : 1000;
}

/**
 * Runs one GraphQL operation and returns its `data`; throws an ApiError for any error in the answer.
 * Pass an AbortSignal to drop a request that is no longer wanted (a search superseded by the next keystroke).
 */
export async function graphql(query, variables = {}, { signal } = {}) {
  await acquire();
  try {
    signal?.throwIfAborted();
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(ENDPOINT, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/graphql-response+json, application/json',
        },
        body: JSON.stringify({ query, variables }),
        signal,
      });
      if (response.status === 429 && attempt < MAX_RETRIES) {
        await sleep(retryDelay(response), signal);
        continue;
      }

      let body;
      try {
        body = await response.json();
      } catch {
        throw new ApiError(`The API answered HTTP ${response.status} without a GraphQL response.`, 'HTTP_ERROR');
      }
      const error = body?.errors?.[0];
      if (error) {
        throw new ApiError(error.message ?? 'The API reported an error.', error.extensions?.code);
      }
      if (!response.ok || !body?.data) {
        throw new ApiError(`The API answered HTTP ${response.status}.`, 'HTTP_ERROR');
      }
      return body.data;
    }
  } finally {
    release();
  }
}
