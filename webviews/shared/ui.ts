/**
 * The one module that knows which web-component library draws our controls.
 *
 * Today that is @vscode/webview-ui-toolkit 1.4.0, deprecated upstream on 2025-01-01;
 * its successor is @vscode-elements/elements. Views create controls only through
 * these factories and read them only through the small interfaces below, so moving
 * is a change to this file (registration, tag names, the event each control fires).
 *
 * Only controls whose templates need no inline `style` attribute are registered:
 * the toolkit's badge and determinate progress ring bind `style="…"`, which our CSP
 * (no 'unsafe-inline') refuses. Its data grid is not used either: it renders every
 * row, and the tag grid must show 10,000 (see tagWatch/grid.ts).
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Defines the custom elements; call once before creating controls. */
export function registerControls(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField());
}

export interface ButtonOptions {
  label: string;
  title?: string;
  secondary?: boolean;
  onClick(): void;
}

export function button(options: ButtonOptions): HTMLElement & { disabled: boolean } {
  const element = document.createElement('vscode-button') as HTMLElement & { disabled: boolean; appearance: string };
  element.textContent = options.label;
  if (options.title) element.title = options.title;
  element.appearance = options.secondary ? 'secondary' : 'primary';
  element.addEventListener('click', () => {
    if (!element.disabled) options.onClick();
  });
  return element;
}

export interface TextFieldControl extends HTMLElement {
  value: string;
  placeholder: string;
  disabled: boolean;
}

export function textField(options: { placeholder?: string; label?: string; onInput?(value: string): void; onEnter?(value: string): void }): TextFieldControl {
  const element = document.createElement('vscode-text-field') as TextFieldControl;
  if (options.placeholder) element.placeholder = options.placeholder;
  if (options.label) element.setAttribute('aria-label', options.label);
  element.addEventListener('input', () => options.onInput?.(element.value));
  element.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Enter') options.onEnter?.(element.value);
  });
  return element;
}

export interface DropdownControl<V extends string> extends HTMLElement {
  value: V;
}

export function dropdown<V extends string>(options: {
  label: string;
  choices: readonly { value: V; label: string }[];
  value: V;
  onChange(value: V): void;
}): DropdownControl<V> {
  const element = document.createElement('vscode-dropdown') as DropdownControl<V>;
  element.setAttribute('aria-label', options.label);
  element.title = options.label;
  for (const choice of options.choices) {
    const option = document.createElement('vscode-option') as HTMLElement & { value: string };
    option.value = choice.value;
    option.textContent = choice.label;
    if (choice.value === options.value) option.setAttribute('selected', '');
    element.append(option);
  }
  element.addEventListener('change', () => options.onChange(element.value));
  return element;
}

export function checkbox(options: { label: string; checked: boolean; onChange(checked: boolean): void }): HTMLElement & { checked: boolean } {
  const element = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  element.textContent = options.label;
  element.checked = options.checked;
  element.addEventListener('change', () => options.onChange(element.checked));
  return element;
}
