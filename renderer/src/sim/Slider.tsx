import { useId } from 'react';

interface Props {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange(v: number): void;
  format?(v: number): string;
  disabled?: boolean;
  testId?: string;
}

/** A labelled range input that shows its value; every change re-runs the simulation. */
export function Slider({ label, value, min, max, step, onChange, format, disabled, testId }: Props) {
  const id = useId();
  return (
    <div className="sim-slider">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        data-testid={testId}
        onChange={(e) => onChange(Number(e.currentTarget.value))}
      />
      <output htmlFor={id} className="mono">
        {format ? format(value) : value}
      </output>
    </div>
  );
}
