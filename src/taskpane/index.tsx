/**
 * Task pane entry point. PLACEHOLDER: the task pane engineer replaces this with the real app; it
 * only proves the build (React 19 + Fluent UI v9) and the shared runtime page work.
 */
import { createRoot } from 'react-dom/client';
import { FluentProvider, Title3, webLightTheme } from '@fluentui/react-components';
import { pickLocale, t } from '../i18n';

function render(languageTag: string | undefined): void {
  const container = document.getElementById('container');
  if (!container) return;
  const locale = pickLocale(languageTag);
  createRoot(container).render(
    <FluentProvider theme={webLightTheme} lang={locale}>
      <Title3 as="h1">{t(locale, 'product.name')}</Title3>
    </FluentProvider>,
  );
}

// Outside Office (a plain browser, tests) there is no Office global: render at once in the browser's language.
if (typeof Office !== 'undefined') {
  Office.onReady(() => render(Office.context?.displayLanguage));
} else {
  render(typeof navigator !== 'undefined' ? navigator.language : undefined);
}
