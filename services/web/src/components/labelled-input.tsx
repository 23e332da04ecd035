import type { ComponentChildren } from 'preact';

/**
 * A text-like input with its label in a `.field`, for forms that keep their own state (sign
 * in, the station page's window). `invalid` marks it for screen readers; `describedBy` names
 * the hint or error beneath it, which callers put in `children`.
 */
export function LabelledInput(props: {
  id: string;
  label: string;
  value: string;
  onInput(value: string): void;
  type?: 'text' | 'email' | 'password' | 'datetime-local';
  name?: string;
  autocomplete?: string;
  required?: boolean;
  minLength?: number | undefined;
  invalid?: boolean;
  describedBy?: string | undefined;
  children?: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? 'text'}
        autocomplete={props.autocomplete}
        required={props.required}
        minLength={props.minLength}
        value={props.value}
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.describedBy}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.children}
    </div>
  );
}
