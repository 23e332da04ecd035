import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ErrorResult, gql } from '../api/client.ts';
import { type AdminResult, SPACE_TYPES, type SpaceType } from '../api/operations.ts';
import { type I18n, useI18n } from '../i18n/i18n.tsx';
import { errorText, isErrorResult, Notice } from './ui.tsx';

/**
 * What the site, space and tariff forms share: a labelled field that shows its own error,
 * the save with the API's typed errors in plain words, and the "are you sure?" of retiring.
 */

export interface FormError {
  /** The input field to correct (the API's ValidationError.field, or one the form checked). */
  field: string | null;
  text: string;
}

/** The words for an API error; a ValidationError's field gets the catalogue's explanation. */
export function adminErrorText(i18n: I18n, error: unknown): string {
  const { garageAdmin } = i18n.t;
  if (isErrorResult(error)) {
    if (error.__typename === 'ForbiddenError') return garageAdmin.forbidden;
    if (error.__typename === 'NotFoundError') return garageAdmin.notFound;
    const known = garageAdmin.invalid[(error.field ?? '') as keyof typeof garageAdmin.invalid];
    if (error.__typename === 'ValidationError' && known) return known;
  }
  return errorText(i18n, error);
}

/** Sends one of the admin mutations and answers its one result (the object or an error). */
export async function sendAdmin<T>(
  mutation: string,
  variables: Record<string, unknown>,
): Promise<AdminResult<T>> {
  const data = await gql<Record<string, AdminResult<T>>>(mutation, variables);
  return Object.values(data)[0]!;
}

/** Sends a mutation; on success hands over the saved object, else keeps the error to show. */
export function useSave() {
  const i18n = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  async function save<T>(send: () => Promise<AdminResult<T>>, done: (saved: T) => void): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const result = await send();
      if (isErrorResult(result)) {
        setError({ field: (result as ErrorResult).field ?? null, text: adminErrorText(i18n, result) });
      } else {
        done(result as T);
      }
    } catch (err) {
      setError({ field: null, text: adminErrorText(i18n, err) });
    } finally {
      setBusy(false);
    }
  }
  /** Creates (without an id) or updates (with one) from the same input; creating may need more. */
  function saveEntity<T>(
    [create, update]: readonly [create: string, update: string],
    id: string | undefined,
    input: Record<string, unknown>,
    createOnly: Record<string, unknown>,
    done: (saved: T) => void,
  ): Promise<void> {
    return save<T>(
      () =>
        id ? sendAdmin(update, { id, input }) : sendAdmin(create, { input: { ...input, ...createOnly } }),
      done,
    );
  }
  return { busy, error, setError, save, saveEntity };
}

/** A form's text values by field name, and the props that tie one TextField to its value. */
export function useFields<K extends string>(initial: Record<K, string>) {
  const [values, setValues] = useState(initial);
  const bind = (field: K) => ({
    field,
    value: values[field],
    onInput: (value: string) => setValues((current) => ({ ...current, [field]: value })),
  });
  return { values, bind };
}

/** An input with its label, optional hint and, when the error names it, its error beneath. */
export function TextField(props: {
  form: string;
  field: string;
  label: string;
  value: string;
  onInput(value: string): void;
  error: FormError | null;
  hint?: string | undefined;
  required?: boolean;
  optional?: boolean;
  maxLength?: number;
  inputMode?: 'decimal' | 'text';
  autocomplete?: string;
}) {
  const { t } = useI18n();
  const id = `${props.form}-${props.field}`;
  const invalid = props.error?.field === props.field;
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.optional && <span class="muted"> {t.garageAdmin.optional}</span>}
      </label>
      <input
        id={id}
        name={props.field}
        value={props.value}
        required={props.required}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        autocomplete={props.autocomplete ?? 'off'}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, props.hint, invalid)}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <FieldNotes id={id} hint={props.hint} error={invalid ? props.error : null} />
    </div>
  );
}

/** A field's hint and error, with the ids its aria-describedby points at. */
function FieldNotes(props: { id: string; hint?: string | undefined; error: FormError | null }) {
  return (
    <>
      {props.hint && (
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-error`} class="field-error">
          {props.error.text}
        </p>
      )}
    </>
  );
}

/** The ids of a field's hint and error, for aria-describedby (undefined when it has neither). */
function describedBy(id: string, hint: string | undefined, invalid: boolean): string | undefined {
  return [hint ? `${id}-hint` : '', invalid ? `${id}-error` : ''].join(' ').trim() || undefined;
}

/** A labelled select of a form, with its hint and, when the error names it, its error. */
export function SelectField<V extends string>(props: {
  form: string;
  field: string;
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange(value: V): void;
  error: FormError | null;
  hint?: string | undefined;
  disabled?: boolean;
}) {
  const id = `${props.form}-${props.field}`;
  const invalid = props.error?.field === props.field;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, props.hint, invalid)}
        onChange={(e) => props.onChange(e.currentTarget.value as V)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldNotes id={id} hint={props.hint} error={invalid ? props.error : null} />
    </div>
  );
}

/** The kind of space, as a select (or fixed and disabled where the API does not change it). */
export function SpaceTypeField(props: {
  form: string;
  field: string;
  label: string;
  value: SpaceType;
  onChange(value: SpaceType): void;
  error: FormError | null;
  hint?: string | undefined;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  return (
    <SelectField
      {...props}
      options={SPACE_TYPES.map((type) => ({ value: type, label: t.spaceType[type] }))}
    />
  );
}

/**
 * A form in a panel: its heading takes focus when it opens, the field an error names takes
 * focus when the error comes, and errors without a field of the form show above the buttons.
 */
export function AdminForm(props: {
  id: string;
  title: string;
  fields: readonly string[];
  /** From useSave: whether the save is under way, and its error. */
  saving: { busy: boolean; error: FormError | null };
  onSubmit(): void;
  onCancel(): void;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { busy, error } = props.saving;
  const onField = error?.field != null && props.fields.includes(error.field);
  useEffect(() => {
    if (onField) document.getElementById(`${props.id}-${error?.field}`)?.focus();
  }, [error]);
  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <form class="admin-form stack" aria-labelledby={`${props.id}-title`} onSubmit={submit} noValidate>
      <h3 id={`${props.id}-title`} ref={heading} tabIndex={-1}>
        {props.title}
      </h3>
      {props.children}
      {error && <Notice kind="error">{onField ? t.garageAdmin.checkField : error.text}</Notice>}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.garageAdmin.saving : t.garageAdmin.save}
        </button>
        <button type="button" onClick={props.onCancel} disabled={busy}>
          {t.garageAdmin.cancel}
        </button>
      </div>
    </form>
  );
}

/** Retiring asks once more; the question takes focus, since the button that asked is gone. */
export function RetireStep<T>(props: {
  label: string;
  question: string;
  send(): Promise<AdminResult<T>>;
  onRetired(retired: T): void;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const { busy, error, save } = useSave();
  const question = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (asking) question.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" class="danger-outline" onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <div class="stack retire-step">
      <p ref={question} tabIndex={-1}>
        <strong>{props.question}</strong>
      </p>
      {error && <Notice kind="error">{error.text}</Notice>}
      <div class="actions">
        <button
          type="button"
          class="danger"
          disabled={busy}
          onClick={() => save(props.send, props.onRetired)}
        >
          {busy ? t.garageAdmin.retiring : t.garageAdmin.retireYes}
        </button>
        <button type="button" onClick={() => setAsking(false)} disabled={busy}>
          {t.garageAdmin.retireNo}
        </button>
      </div>
    </div>
  );
}

/** What was just saved or retired; it takes focus, as the form that had it is gone. */
export function DoneNotice({ text }: { text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [text]);
  return (
    <div ref={ref} tabIndex={-1} class="notice notice-success" role="status">
      {text}
    </div>
  );
}

/** A table row's edit button: short on screen, named in full for a screen reader. */
export function EditButton(props: { name: string; onClick(): void }) {
  const { t } = useI18n();
  return (
    <button type="button" class="small" aria-label={props.name} onClick={props.onClick}>
      {t.garageAdmin.edit}
    </button>
  );
}
