/**
 * One flag name for one meaning: every command that takes a time zone calls it `--timezone`
 * (as Seed-Farmer's `timezone` parameter and the README do), and accepts `--tz` as an alias, the
 * name `schedule preview` used first.
 */
import { Option, type Command } from 'commander';
import { UserError } from '../core/errors.js';

export function addTimezoneOption(cmd: Command, description: string, defaultValue?: string): Command {
  const option = new Option('--timezone <zone>', `${description} (alias --tz)`);
  if (defaultValue !== undefined) option.default(defaultValue);
  return cmd
    .addOption(option)
    .addOption(new Option('--tz <zone>', 'alias of --timezone').hideHelp())
    .hook('preAction', (_self, action) => {
      const o = action.opts<{ timezone?: string; tz?: string }>();
      if (o.tz === undefined) return;
      const given = action.getOptionValueSource('timezone') === 'cli';
      if (given && o.timezone !== o.tz) throw new UserError(`--timezone ${o.timezone} and --tz ${o.tz} disagree: give one of them`, 'INVALID_OPTION');
      action.setOptionValue('timezone', o.tz);
    });
}
