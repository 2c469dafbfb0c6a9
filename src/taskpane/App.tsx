/** The task pane: a header with the language switch, and the two tabs. State and layout only. */
import { useCallback, useEffect, useState } from 'react';
import {
  Button,
  Caption1,
  FluentProvider,
  makeStyles,
  Select,
  Subtitle1,
  Tab,
  TabList,
  tokens,
  webLightTheme,
} from '@fluentui/react-components';
import type { RunClient, RunSettings } from '../runs';
import { Locale, t } from '../i18n';
import { errorText, loadWorkbookChoices, WorkbookChoices } from './actions';
import { PlanTab } from './PlanTab';
import { VarianceTab } from './VarianceTab';
import { ApproveTab } from './ApproveTab';

const useStyles = makeStyles({
  root: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  language: { minWidth: '96px', maxWidth: '110px' },
  // Three tabs wrap in the Sheets sidebar's 300 px rather than overflow it.
  tabs: { padding: `0 ${tokens.spacingHorizontalS}`, backgroundColor: tokens.colorNeutralBackground1, flexWrap: 'wrap' },
  body: { padding: tokens.spacingHorizontalL },
  footer: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXS, marginTop: tokens.spacingVerticalL },
});

export interface AppProps {
  /** The runs: in the pane over the Excel host, or on the server for the Sheets sidebar. */
  runs: RunClient;
  initialLocale: Locale;
}

type TabName = 'plan' | 'variance' | 'approve';

export function App({ runs, initialLocale }: AppProps) {
  const styles = useStyles();
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [tab, setTab] = useState<TabName>('plan');
  const [choices, setChoices] = useState<WorkbookChoices>({ tables: [], planSheets: [] });
  const [choicesError, setChoicesError] = useState<string | undefined>();
  const [remembered, setRemembered] = useState<RunSettings>({});
  // Bumped by "Reset to defaults": the tabs start again from their defaults.
  const [generation, setGeneration] = useState(0);

  const refreshChoices = useCallback(async () => {
    try {
      setChoices(await loadWorkbookChoices(runs));
      setChoicesError(undefined);
    } catch (error) {
      setChoicesError(errorText(error, locale));
    }
  }, [runs]);

  // The last runs' settings in this document, their language included (remembering is a convenience: no settings, no message).
  useEffect(() => {
    runs.loadSettings().then(
      (settings) => {
        setRemembered(settings);
        if (settings.locale === 'en' || settings.locale === 'zh-CN') setLocale(settings.locale);
      },
      () => undefined,
    );
  }, [runs]);

  async function resetToDefaults() {
    try {
      await runs.resetSettings();
    } catch {
      // The forms are reset all the same; the stored settings are replaced by the next run's.
    }
    setRemembered({});
    setLocale(initialLocale);
    setGeneration((g) => g + 1);
  }

  useEffect(() => {
    void refreshChoices();
  }, [refreshChoices]);

  return (
    <FluentProvider theme={webLightTheme} lang={locale} className={styles.root}>
      <header className={styles.header}>
        <Subtitle1 as="h1">{t(locale, 'product.name')}</Subtitle1>
        <Select
          className={styles.language}
          aria-label={t(locale, 'tp.language')}
          value={locale}
          onChange={(_, data) => setLocale(data.value as Locale)}
          data-testid="language"
        >
          <option value="en">English</option>
          <option value="zh-CN">中文</option>
        </Select>
      </header>
      <TabList
        className={styles.tabs}
        selectedValue={tab}
        onTabSelect={(_, data) => setTab(data.value as TabName)}
      >
        <Tab value="plan">{t(locale, 'tp.tab.plan')}</Tab>
        <Tab value="variance">{t(locale, 'tp.tab.variance')}</Tab>
        <Tab value="approve">{t(locale, 'tp.tab.approve')}</Tab>
      </TabList>
      <main className={styles.body}>
        {/* Both tabs stay mounted so that switching keeps what the user typed. */}
        <div hidden={tab !== 'plan'}>
          <PlanTab
            key={`plan-${generation}`}
            runs={runs}
            locale={locale}
            tables={choices.tables}
            choicesError={choicesError}
            remembered={remembered.plan}
            onRefresh={refreshChoices}
          />
        </div>
        <div hidden={tab !== 'variance'}>
          <VarianceTab
            key={`variance-${generation}`}
            runs={runs}
            locale={locale}
            tables={choices.tables}
            planSheets={choices.planSheets}
            remembered={remembered.variance}
            onRefresh={refreshChoices}
          />
        </div>
        <div hidden={tab !== 'approve'}>
          <ApproveTab runs={runs} locale={locale} planSheets={choices.planSheets} onRefresh={refreshChoices} />
        </div>
        <footer className={styles.footer}>
          <Button appearance="subtle" size="small" data-testid="reset" onClick={() => void resetToDefaults()}>
            {t(locale, 'tp.reset')}
          </Button>
          <Caption1>{t(locale, 'tp.reset.hint')}</Caption1>
        </footer>
      </main>
    </FluentProvider>
  );
}
