/**
 * The Python exception a log ends with: what a user needs first when a model server or a job failed
 * (`ValueError: could not convert string to float: 'a'`), instead of the HTML page a Flask-based
 * container answers with.
 */

/**
 * The root cause of the last exception chain in `text`: Python prints a chain ("The above exception
 * was the direct cause of the following exception", "During handling of the above exception")
 * root cause first, so the first traceback of the last chain names what went wrong in the user's
 * code, the later ones how a framework wrapped it. Undefined when the text holds no traceback.
 */
export function lastPythonException(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  let chainStart: string | undefined;
  let inTraceback = false;
  let linked = false;
  for (const line of lines) {
    if (line.startsWith('Traceback (most recent call last):')) {
      inTraceback = true;
      continue;
    }
    if (inTraceback) {
      // Frames and source lines are indented; the first line that is not ends the traceback.
      if (line === '' || /^\s/.test(line)) continue;
      inTraceback = false;
      if (!linked) chainStart = line.trim();
      linked = false;
      continue;
    }
    if (/^(The above exception was the direct cause|During handling of the above exception)/.test(line)) linked = true;
    else if (line.trim() !== '') linked = false;
  }
  return chainStart;
}
