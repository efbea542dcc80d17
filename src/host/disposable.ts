import type * as vscode from 'vscode';

/** Base for owners of resources: everything `register`ed is released, newest first, by `dispose`. */
export abstract class Disposable implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  protected isDisposed = false;

  protected register<T extends vscode.Disposable>(disposable: T): T {
    if (this.isDisposed) disposable.dispose();
    else this.disposables.push(disposable);
    return disposable;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
