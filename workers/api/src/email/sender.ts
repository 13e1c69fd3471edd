/** The address of a sender written `pixel@example.com` or `Pixel <pixel@example.com>`; undefined when it is neither. */
export function senderAddress(from: string): string | undefined {
  const address = from.trim().match(/<([^<>\s]+)>$/)?.[1] ?? from.trim();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address) ? address : undefined;
}
