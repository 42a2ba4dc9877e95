/** GitHub's check-run status for our dispatch state: everything before a workflow run exists is "queued". */
export function checkStatus(state: string): 'queued' | 'in_progress' | 'completed' {
  if (state === 'completed' || state === 'awaiting_approval') return 'completed';
  if (state === 'in_progress') return 'in_progress';
  return 'queued';
}
