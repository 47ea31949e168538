// Reads something from the gateway for a screen: the value, the problem if the read failed, a
// way to read again, and a way to put a changed value in place without reading again.
import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { isAbort, problemOfError, type Problem } from './api';

export interface Resource<T> {
  data: T | null;
  problem: Problem | null;
  reload(): void;
  setData(update: (current: T | null) => T | null): void;
}

export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
  const [data, setDataState] = useState<T | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setProblem(null);
    load(abort.signal).then(
      (value) => setDataState(value),
      (error: unknown) => {
        if (!isAbort(error)) setProblem(problemOfError(error));
      },
    );
    return () => abort.abort();
  }, [...deps, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const setData = useCallback((update: (current: T | null) => T | null) => setDataState(update), []);
  return { data, problem, reload, setData };
}
