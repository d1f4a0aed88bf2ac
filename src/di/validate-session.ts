/**
 * Session schemas: compiling a class into a validation policy (once), and the conversions between
 * stored data and instances (class-transformer) and their validation (class-validator).
 */
import { instanceToPlain, plainToInstance } from 'class-transformer';
import * as classValidator from 'class-validator';
import {
  getMetadataStorage,
  validate,
  validateSync,
  ValidationTypes,
  type ValidationError,
  type ValidatorOptions,
} from 'class-validator';
import { SessionConfigError, type SessionFieldError } from '../core/errors';
import { isUnsafeKey, jsonByKey, UNSAFE_KEY_IN_JSON } from '../core/keys';
import { Session as EngineSession } from '../core/session';
import { getSchemaOptions, type Type } from './metadata';

/**
 * Options of `@SessionSchema()`: class-validator's options (whitelist, forbidNonWhitelisted,
 * forbidUnknownValues, groups, skipMissingProperties...) plus the policy for stored data that
 * fails the schema when it is loaded.
 */
export interface SessionSchemaOptions extends ValidatorOptions {
  /**
   * `'reset'`: replace the stored data with a fresh instance and emit `session:invalid` on the app
   * (with the validation errors). `'reject'`: fail the request with a `SessionValidationError`.
   * @default 'reset'
   */
  onInvalid?: 'reset' | 'reject';
  /**
   * Keys this schema removes from the session when it is loaded (for example the key of a previous
   * version of the schema). The only way a schema deletes keys it does not declare: `whitelist`
   * strips within the schema's own keys, never other code's keys.
   * @default []
   */
  obsoleteKeys?: string[];
  /**
   * The HTTP status of the `SessionValidationError` thrown when the instance, edited by the
   * server's code, fails the schema at save time. 400 (the default) suits handlers that copy client
   * input into the session unvalidated; 500 says "a bug of ours" (the message is then hidden from
   * the client and the error is emitted as the app's `error` event). Any status from 400 to 599.
   * @default 400
   */
  invalidSaveStatus?: number;
}

/** A schema class with its options resolved: what the request path uses. */
export interface CompiledSchema<T extends object = object> {
  readonly type: new () => T;
  readonly name: string;
  readonly onInvalid: 'reset' | 'reject';
  readonly validator: ValidatorOptions;
  /** Every constraint is synchronous: validated with `validateSync`, without a promise per request. */
  readonly sync: boolean;
  /** False when the class has no class-validator decorator: there is nothing to validate. */
  readonly validates: boolean;
  /** The keys the class declares (decorated properties and initialised fields). */
  readonly declared: ReadonlySet<string>;
  /**
   * With `whitelist`, the schema's view of the session is limited to its declared keys: it reads,
   * validates, writes and strips only those. `undefined`: the view is the whole session.
   */
  readonly scope: ReadonlySet<string> | undefined;
  /** Keys removed from the session when the schema is loaded (`obsoleteKeys`). */
  readonly obsolete: readonly string[];
  /** Status of a save-time validation failure (`invalidSaveStatus`). */
  readonly saveStatus: number;
}

// Types that can never describe a session. `Object` (interfaces, records, `any`) means "untyped".
const NOT_A_SCHEMA = new Set<unknown>([
  String,
  Number,
  Boolean,
  Symbol,
  BigInt,
  Array,
  Function,
  Promise,
  Date,
  Map,
  Set,
]);

/**
 * Turns a parameter type or an explicit class into a schema; `undefined` means untyped.
 * @throws SessionConfigError when the type cannot be a session schema (at startup).
 */
export function compileSchema(type: unknown, where: string): CompiledSchema | undefined {
  // `Object` (interfaces, records, any) and the session class itself (or the `Session` name, which
  // is also the decorator and shares the class's prototype) mean "untyped".
  if (
    type === undefined ||
    type === Object ||
    (type as { prototype?: unknown } | null)?.prototype === EngineSession.prototype
  )
    return undefined;
  if (typeof type !== 'function' || NOT_A_SCHEMA.has(type)) {
    const name = typeof type === 'function' ? type.name : String(type);
    throw new SessionConfigError(
      '@Session()',
      `on ${where} has the type ${name}, which cannot hold a session`,
      "Type the parameter with a schema class, use `@Session('field')` for one value, or `Record<string, unknown>` for the untyped session.",
    );
  }
  const ctor = type as Type<object>;
  if (ctor.length > 0) {
    throw new SessionConfigError(
      '@Session()',
      `on ${where} uses the schema ${ctor.name}, whose constructor takes arguments`,
      'A session schema is created with `new Schema()` for fresh sessions: give every constructor parameter a default, or remove the constructor.',
    );
  }
  const {
    onInvalid = 'reset',
    obsoleteKeys = [],
    invalidSaveStatus = 400,
    ...validator
  } = (getSchemaOptions(ctor) ?? {}) as SessionSchemaOptions;
  if (onInvalid !== 'reset' && onInvalid !== 'reject') {
    throw new SessionConfigError(
      'onInvalid',
      `of @SessionSchema on ${ctor.name} must be 'reset' or 'reject', got ${String(onInvalid)}`,
      "Use `onInvalid: 'reset'` (the default).",
    );
  }
  if (!Number.isInteger(invalidSaveStatus) || invalidSaveStatus < 400 || invalidSaveStatus > 599) {
    throw new SessionConfigError(
      'invalidSaveStatus',
      `of @SessionSchema on ${ctor.name} must be an HTTP error status (400-599), got ${String(invalidSaveStatus)}`,
      'Use 400 (the default: client input) or 500 (a server bug).',
    );
  }
  if (!Array.isArray(obsoleteKeys) || !obsoleteKeys.every((key) => typeof key === 'string')) {
    throw new SessionConfigError(
      'obsoleteKeys',
      `of @SessionSchema on ${ctor.name} must be an array of key names`,
      "For example `obsoleteKeys: ['legacyCart']`.",
    );
  }
  const schemaType = ctor as unknown as new () => object;
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(schemaType, '', true, false);
  const declared = new Set([...metadatas.map((m) => m.propertyName), ...Object.keys(new schemaType())]);
  for (const key of obsoleteKeys) {
    if (declared.has(key)) {
      throw new SessionConfigError(
        'obsoleteKeys',
        `of @SessionSchema on ${ctor.name} names ${key}, which the class declares`,
        'List only keys the schema no longer uses.',
      );
    }
  }
  return {
    type: schemaType,
    name: ctor.name,
    onInvalid,
    // Values and targets are kept out of the errors: they would echo session data to clients.
    validator: { forbidUnknownValues: true, ...validator, validationError: { target: false, value: false } },
    sync: hasOnlySyncConstraints(schemaType),
    validates: metadatas.length > 0,
    declared,
    scope: validator.whitelist ? declared : undefined,
    obsolete: [...obsoleteKeys],
    saveStatus: invalidSaveStatus,
  };
}

/**
 * True when `validateSync` gives the same verdict as `validate` for the class: no promise
 * validation, no nested validation (the nested class is only known from the value, per request),
 * and no custom constraint declared `async` (class-validator's contract for constraints that
 * return a promise). Decided once, at startup; every group and `always` setting is included.
 */
function hasOnlySyncConstraints(type: new () => object): boolean {
  const storage = getMetadataStorage();
  return storage.getTargetValidationMetadatas(type, '', true, false).every((metadata) => {
    if (metadata.type === ValidationTypes.PROMISE_VALIDATION || metadata.type === ValidationTypes.NESTED_VALIDATION)
      return false;
    if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION) return true;
    return storage
      .getTargetValidatorConstraints(metadata.constraintCls)
      .every((constraint) => !constraint.async && BUILT_IN_CONSTRAINTS.has(constraint.name));
  });
}

/**
 * The names of class-validator's own constraints (its exported name constants: 'isInt', 'min', ...).
 * A user-defined constraint may return a promise without declaring `async`, which `validate` awaits
 * but `validateSync` would count as passing: only built-in constraints take the synchronous path.
 */
const BUILT_IN_CONSTRAINTS = new Set(Object.values(classValidator).filter((value) => typeof value === 'string'));

/** A deep, JSON-shaped copy of any JSON value without prototype-polluting keys (see routing-controllers#518). */
export function safeJsonCopy(value: unknown): unknown {
  const json = JSON.stringify(value);
  if (json === undefined) return undefined;
  // A reviver costs a call per value: run it only when an unsafe key can be there. JSON.stringify
  // never escapes letters or `_`, so such a key always appears in the text as `"name":`.
  if (!UNSAFE_KEY_IN_JSON.test(json)) return JSON.parse(json) as unknown;
  return JSON.parse(json, (key, item: unknown) => (isUnsafeKey(key) ? undefined : item)) as unknown;
}

/** {@link safeJsonCopy} of stored session data. */
export function readData(data: Record<string, unknown>): Record<string, unknown> {
  return safeJsonCopy(data) as Record<string, unknown>;
}

/**
 * Stored data (JSON-shaped, from {@link readData}) to an instance: initialisers give the defaults;
 * `@Type` restores nested classes and Dates.
 */
export function toInstance<T extends object>(schema: CompiledSchema<T>, data: Record<string, unknown>): T {
  return plainToInstance(schema.type, data, { exposeDefaultValues: true });
}

/** An instance back to data, honouring class-transformer's `@Exclude`/`@Expose`/`@Transform`. */
export function toPlain(instance: object): Record<string, unknown> {
  return instanceToPlain(instance) as Record<string, unknown>;
}

/**
 * The JSON of each property of the instance as it would be stored (through class-transformer),
 * `_`-prefixed and other reserved keys included. There is no fast path for schemas without
 * class-transformer metadata: class-transformer has no public query for its metadata, and a
 * compiled equivalent keyed on its private storage saved ~5 µs of ~24 µs per decorator request
 * (micro benchmark, `ours:decorators`) at the price of breaking on any class-transformer release.
 */
export function toJsonByKey(instance: object): Map<string, string> {
  return jsonByKey(toPlain(instance));
}

/** Validates an instance against its schema; an empty list means valid. */
export async function check(schema: CompiledSchema, instance: object): Promise<SessionFieldError[]> {
  if (!schema.validates) return [];
  const errors = await validate(instance, schema.validator);
  return errors.map(toFieldError);
}

/** {@link check} for a schema whose constraints are all synchronous (`schema.sync`). */
export function checkSync(schema: CompiledSchema, instance: object): SessionFieldError[] {
  if (!schema.validates) return [];
  return validateSync(instance, schema.validator).map(toFieldError);
}

/** A class-validator error as a plain, serialisable field error. */
export function toFieldError(error: ValidationError): SessionFieldError {
  const field: SessionFieldError = { property: error.property, constraints: { ...error.constraints } };
  if (error.children?.length) field.children = error.children.map(toFieldError);
  return field;
}
