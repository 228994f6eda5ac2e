/**
 * A write in three visible steps, for any panel: type a value → see the exact frame
 * the gateway will send → confirm → the write and what was read back. Confirm only
 * ever sends the value that was previewed; editing the value afterwards goes back
 * to the preview step. The panel supplies what is written and how (its requests).
 */
import './panes.css';
import { button, textField } from './ui';

export interface WriteSubject {
  /** "Write HR:100 (float32 CDAB)". */
  heading: string;
  /** The value now, as the cell shows it. */
  initial: string;
  /** Where the frame goes, for the confirmation line: "to Demo". */
  to?: string;
}

export interface WriteSteps {
  preview(text: string): Promise<{ frameHex: string; summary?: string }>;
  /** Sends the previewed value; resolves with what to tell the user (the read-back). */
  commit(text: string): Promise<string>;
}

export class ConfirmedWrite {
  readonly element: HTMLElement;
  private readonly heading = document.createElement('h2');
  private readonly input;
  private readonly previewButton;
  private readonly confirmButton;
  private readonly frame = document.createElement('pre');
  private readonly status = document.createElement('p');
  private subject: WriteSubject | undefined;
  /** Why nothing can be written now, worded for the user (a read-only device, no write support). */
  private refused: string | undefined;
  private previewed: string | undefined;

  constructor(
    private readonly steps: WriteSteps,
    /** The heading while nothing is selected. */
    private readonly emptyHeading = 'Write: select a row',
  ) {
    this.element = document.createElement('section');
    this.element.className = 'pane write-pane';
    this.element.setAttribute('aria-label', 'Write a value');
    this.input = textField({ label: 'New value', placeholder: 'new value', onInput: () => this.reset(), onEnter: () => void this.preview() });
    this.previewButton = button({ label: 'Preview frame', onClick: () => void this.preview() });
    this.confirmButton = button({ label: 'Confirm write', onClick: () => void this.commit() });
    const controls = document.createElement('div');
    controls.className = 'pane-controls';
    controls.append(this.input, this.previewButton, this.confirmButton);
    this.frame.className = 'frame-preview';
    this.frame.setAttribute('aria-label', 'Frame to be sent');
    this.status.className = 'pane-message';
    this.status.setAttribute('role', 'status');
    this.element.append(this.heading, controls, this.frame, this.status);
    this.follow(undefined);
  }

  /** Point the form at a new subject (or none); the value typed so far is replaced. */
  follow(subject: WriteSubject | undefined): void {
    this.subject = subject;
    this.input.value = subject?.initial ?? '';
    this.reset();
  }

  /** Writing becomes impossible (with the reason shown) or possible again; what is typed stays. */
  refuse(reason: string | undefined): void {
    this.refused = reason;
    if (reason !== undefined) this.status.textContent = reason;
    this.update();
  }

  focus(): void {
    this.input.focus();
  }

  private reset(): void {
    this.previewed = undefined;
    this.frame.textContent = '';
    this.status.textContent = this.refused ?? '';
    this.element.dataset.step = 'edit';
    this.update();
  }

  private update(): void {
    this.heading.textContent = this.subject?.heading ?? this.emptyHeading;
    const enabled = this.subject !== undefined && this.refused === undefined;
    this.input.disabled = !enabled;
    this.previewButton.disabled = !enabled;
    this.confirmButton.disabled = !enabled || this.previewed === undefined;
  }

  private async preview(): Promise<void> {
    if (!this.subject || this.refused !== undefined) return;
    const text = this.input.value;
    this.status.textContent = 'Encoding…';
    try {
      const preview = await this.steps.preview(text);
      this.previewed = text;
      this.frame.textContent = preview.frameHex;
      this.status.textContent = `${preview.summary ? `${preview.summary}. ` : ''}Confirm to send this frame${this.subject.to ? ` to ${this.subject.to}` : ''}.`;
      this.element.dataset.step = 'confirm';
    } catch (error) {
      this.status.textContent = `Cannot write: ${(error as Error).message}`;
      this.element.dataset.step = 'error';
    }
    this.update();
  }

  private async commit(): Promise<void> {
    const text = this.previewed;
    if (text === undefined) return;
    this.confirmButton.disabled = true;
    this.status.textContent = 'Writing…';
    try {
      this.status.textContent = await this.steps.commit(text);
      this.element.dataset.step = 'done';
    } catch (error) {
      this.status.textContent = `The write failed: ${(error as Error).message}`;
      this.element.dataset.step = 'error';
    }
    this.previewed = undefined;
    this.update();
  }
}
