// What a region shows while it waits for the gateway: said once to screen readers, shown quietly.
export function Loading({ children }: { children: string }) {
  return (
    <p className="loading" role="status">
      <span className="loading__dot" aria-hidden="true" />
      {children}
    </p>
  );
}
