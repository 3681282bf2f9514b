/** An error's message announced to screen readers; nothing when there is no error. */
export function ErrorText({ error }: { error: { message: string } | null | undefined }) {
  if (!error) return null;
  return (
    <p className="text-error" role="alert">
      {error.message}
    </p>
  );
}
