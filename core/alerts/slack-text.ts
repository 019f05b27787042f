/**
 * Text for Slack's `text` field: `&`, `<` and `>` escaped as Slack's "Formatting text" docs ask, so a
 * name like `<!channel>` or `<https://x|Reset>` shows as typed, never as a mention or a disguised link.
 */
export const slackText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
