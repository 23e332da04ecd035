import { Notice } from './ui.tsx';

export type ActionAnswer = { kind: 'success' | 'error' | 'info'; text: string };

/**
 * The big button that asks a lock to do something (open a box, unlock a vehicle, end a trip)
 * and, beneath it, the answer the API gave; the button names the answer for screen readers.
 */
export function LockAction(props: {
  answerId: string;
  label: string;
  busyLabel: string;
  busy: boolean;
  onClick(): void;
  answer: ActionAnswer | null;
}) {
  return (
    <>
      <button
        type="button"
        class="primary big"
        onClick={props.onClick}
        disabled={props.busy}
        aria-describedby={props.answerId}
      >
        {props.busy ? props.busyLabel : props.label}
      </button>
      <div id={props.answerId} data-testid={props.answerId}>
        {props.answer && <Notice kind={props.answer.kind}>{props.answer.text}</Notice>}
      </div>
    </>
  );
}
