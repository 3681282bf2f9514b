/** What could not be loaded, and why ("Could not load the runs: …"), announced; nothing when there is no error. */
export function LoadError({ what, error }: { what: string; error: { message: string } | null }) {
  if (!error) return null;
  return (
    <p className="notice text-error" role="alert">
      Could not load {what}: {error.message}
    </p>
  );
}
