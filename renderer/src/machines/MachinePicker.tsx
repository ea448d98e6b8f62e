import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { groupByMachine } from '../../../shared/machines';
import { machineFigures, type MachineFigures } from '../../../shared/sim';
import { useFormat } from '../format';
import { href } from '../router';
import { useMachineComparisons } from './useMachineComparisons';
import { useMachineWords } from './words';
import './machines.css';

const MiB = 2 ** 20;

/**
 * The simulator's choice of machine (issue 15 §6): none (the built-in and cited figures) or a machine with a
 * comparison on file, whose newest comparison's figures become the inputs. Says where they came from and which
 * inputs stay the defaults.
 */
export function MachinePicker({ onChange }: { onChange(fig: MachineFigures | undefined): void }) {
  const { t } = useTranslation('machines');
  const f = useFormat();
  const w = useMachineWords();
  const { comparisons, currentMachineId } = useMachineComparisons();
  const machines = useMemo(() => groupByMachine(comparisons ?? [], currentMachineId), [comparisons, currentMachineId]);
  const [key, setKey] = useState('');
  const machine = machines.find((m) => m.key === key);
  const fig = useMemo(() => (machine ? machineFigures(machine.comparisons[0]) : undefined), [machine]);
  useEffect(() => onChange(fig), [fig]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <section className="card sim-machine" data-testid="sim-machine">
      <label className="field">
        {t('sim.label')}
        <select value={key} onChange={(e) => setKey(e.currentTarget.value)} data-testid="sim-machine-pick">
          <option value="">{t('sim.none')}</option>
          {machines.map((m) => (
            <option key={m.key} value={m.key}>
              {w.name(m)} · {w.size(m)} · {w.origin(m)}
            </option>
          ))}
        </select>
      </label>
      {!machine && <p className="muted small">{machines.length ? t('sim.noneHint') : t('sim.noMachines')}</p>}
      {machine && fig && (
        <div data-testid="sim-machine-source">
          <p className="small">
            <span className="badge badge-ok">{t('sim.measured')}</span>{' '}
            {t('sim.source', { machine: w.name(machine), date: f.date(fig.startedAt) })} <a className="mono small" href={href('compare', fig.comparisonId)}>{fig.comparisonId}</a>
          </p>
          <ul className="small machines-figures">
            {(['vm', 'container'] as const).map((k) => {
              const m = fig.memory[k];
              return (
                <li key={k} data-figure={`memory-${k}`}>
                  {m ? t(`sim.memory.${k}`, { model: m.model, mib: f.num(m.bytes / MiB) }) : <span className="muted">{t(`sim.memoryDefault.${k}`)}</span>}
                </li>
              );
            })}
            <li>
              {t('sim.startups', {
                list: fig.startups.map((s) => `${s.model} ${f.ms(s.medianMs)}${s.latencySlopeMs !== undefined ? ` (${t('sim.slope', { ms: f.num(s.latencySlopeMs) })})` : ''}`).join(', '),
              })}
            </li>
            <li className="muted">{t('sim.defaults')}</li>
          </ul>
        </div>
      )}
    </section>
  );
}
