import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  /** The page shown: a new page clears the error of the one before. */
  page: string;
  children: ReactNode;
}

interface State {
  error?: Error;
  page: string;
}

/**
 * A page whose code cannot be loaded (browser mode's server restarted with a new build, so its chunk is gone) or
 * that throws while rendering says so in the page area; the shell and the navigation stay usable.
 */
export class PageErrorBoundary extends Component<Props, State> {
  override state: State = { page: this.props.page };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.page === state.page ? null : { page: props.page, error: undefined };
  }

  override render() {
    return this.state.error ? <PageError error={this.state.error} /> : this.props.children;
  }
}

function PageError({ error }: { error: Error }) {
  const { t } = useTranslation();
  return (
    <div className="page">
      <div className="banner banner-danger" role="alert" data-testid="page-error">
        <div>
          <strong>{t('common:pageError.title')}</strong>
          <p className="banner-text">{error.message}</p>
        </div>
        <button type="button" className="button" onClick={() => location.reload()}>
          {t('common:pageError.reload')}
        </button>
      </div>
    </div>
  );
}
