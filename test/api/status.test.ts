/** The error mapping on both sides, without a network: code -> status -> ApiError. */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import t from 'tap';
import { ApiError, DAEMON_UNAVAILABLE, toApiError } from '../../src/api/client-error.js';
import { ERROR_CODE_KEY, grpcStatusName, grpcStatusOf, toStatus } from '../../src/api/status.js';
import * as errors from '../../src/core/errors.js';

const serviceError = (code: status, details: string, trailer?: string): ServiceError => {
  const metadata = new Metadata();
  if (trailer !== undefined) metadata.set(ERROR_CODE_KEY, trailer);
  return Object.assign(new Error(`${code} ${grpcStatusName(code)}: ${details}`), { code, details, metadata });
};

t.test('every Deriva error code has its status', async (t) => {
  const cases: Array<[errors.DerivaError, status]> = [
    [new errors.InvalidAddressError('bad'), status.INVALID_ARGUMENT],
    [new errors.AmbiguousPrefixError('two'), status.INVALID_ARGUMENT],
    [new errors.DecodeError('dcf'), status.INVALID_ARGUMENT],
    [new errors.UnknownFunctionError('fn'), status.INVALID_ARGUMENT],
    [new errors.BadParamError('k', 'bad'), status.INVALID_ARGUMENT],
    [new errors.InputCountError('n'), status.INVALID_ARGUMENT],
    [new errors.NotFoundError('gone'), status.NOT_FOUND],
    [new errors.FunctionFailedError('boom'), status.FAILED_PRECONDITION],
    [new errors.StoreError('disk'), status.INTERNAL],
    [new errors.IntegrityError('hash'), status.DATA_LOSS],
    [new errors.CorruptChunkError('ab'.repeat(32)), status.DATA_LOSS],
    [new errors.NonDeterministicError('twice'), status.FAILED_PRECONDITION],
    [new errors.FloatDisabledError('float'), status.FAILED_PRECONDITION],
    [new errors.InvalidRefError('ref'), status.INVALID_ARGUMENT],
    [new errors.AbortedError('given up'), status.ABORTED],
    [new errors.UnavailableError('peer down'), status.UNAVAILABLE],
    [new errors.DeadlineExceededError('too late'), status.DEADLINE_EXCEEDED],
  ];
  for (const [err, want] of cases) {
    const s = toStatus(err);
    t.equal(s.code, want, `${err.code} -> ${grpcStatusName(want)}`);
    t.equal(grpcStatusOf(err.code), want);
    t.equal(s.details, err.message, `${err.code}: message kept`);
    t.same(s.metadata.get(ERROR_CODE_KEY), [err.code], `${err.code}: code in the trailer`);
  }
});

t.test('NotFoundError.address gives the one wording, with what was being done', async (t) => {
  const addr = { hex: 'ab'.repeat(32) };
  t.equal(errors.NotFoundError.address(addr).message, `no leaf or recipe has address ${addr.hex}`);
  t.equal(errors.NotFoundError.address(addr, 'recipe input').message, `recipe input: no leaf or recipe has address ${addr.hex}`);
});

t.test('an untyped error is INTERNAL with a generic prefix and no Deriva code', async (t) => {
  const s = toStatus(new TypeError('undefined is not a function'));
  t.equal(s.code, status.INTERNAL);
  t.equal(s.details, 'internal error: undefined is not a function');
  t.same(s.metadata.get(ERROR_CODE_KEY), []);
  t.equal(toStatus('thrown string').details, 'internal error: thrown string');
});

t.test('the client rebuilds ApiError from a status', async (t) => {
  const target = 'unix:/x/deriva.sock';
  const typed = toApiError(serviceError(status.NOT_FOUND, 'no leaf or recipe has address ab', 'NOT_FOUND'), target);
  t.type(typed, ApiError);
  t.match(typed, { name: 'ApiError', code: 'NOT_FOUND', grpcCode: status.NOT_FOUND, message: 'no leaf or recipe has address ab' });
  t.match(toApiError(serviceError(status.RESOURCE_EXHAUSTED, 'too big'), target), {
    code: 'RESOURCE_EXHAUSTED',
    grpcCode: status.RESOURCE_EXHAUSTED,
    message: 'too big',
  }, 'no Deriva code: the status name');
  t.match(toApiError(serviceError(status.UNAVAILABLE, 'No connection established'), target), {
    code: DAEMON_UNAVAILABLE,
    grpcCode: status.UNAVAILABLE,
    message: 'no Deriva daemon at unix:/x/deriva.sock; start one with `deriva daemon` (or `make run`)',
  });
  const plain = new Error('not from grpc');
  t.equal(toApiError(plain, target), plain, 'other errors pass through');
});
