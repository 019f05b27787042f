/** What just happened (saved, deleted), announced politely. */
export function Notice({ message }: { message: string }) {
  if (!message) return null;
  return (
    <p role="status" className="notice">
      {message}
    </p>
  );
}
