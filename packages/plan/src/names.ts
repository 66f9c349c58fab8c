// Light helpers of the plan CLI that need none of the heavy modules (the CLI checks its arguments before loading them).

/**
 * Whether `s` is a plain Pulumi stack name (pulumi/pulumi `sdk/go/common/tokens/stack_name.go`: alphanumerics, `-`,
 * `_`, `.`, at most 100 characters), and not `.` or `..`, which the CLI would accept but which name no folder of
 * their own.
 */
export function isPlainName(s: string): boolean {
  return /^[A-Za-z0-9_.-]{1,100}$/.test(s) && s !== "." && s !== "..";
}
